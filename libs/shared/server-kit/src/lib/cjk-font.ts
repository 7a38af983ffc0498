import { existsSync, readFileSync } from 'node:fs';
import { DomainError } from './domain-error';

/** Where Debian's fonts-wqy-microhei puts its collection, with the face to use. */
export const DEFAULT_CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc#WenQuanYiMicroHei';

/** The font, read once per process: `path` or `path#PostScriptName` for a collection (.ttc). */
export class CjkFont {
  private static cache = new Map<string, CjkFont>();
  private constructor(
    readonly data: Buffer,
    readonly family: string | undefined,
  ) {}

  static load(spec: string): CjkFont {
    const cached = CjkFont.cache.get(spec);
    if (cached) return cached;
    const [path, family] = spec.split('#');
    if (!existsSync(path))
      throw new DomainError(
        'INTERNAL',
        `打印准考证、考场报告需要中文字体，但找不到 ${path}：请安装 fonts-wqy-microhei（apt-get install fonts-wqy-microhei），或用环境变量 KAOWU_CJK_FONT 指定字体文件`,
        `printing tickets and reports needs a CJK font and ${path} is missing: install fonts-wqy-microhei or set KAOWU_CJK_FONT`,
        'KAOWU_CJK_FONT',
      );
    const font = new CjkFont(readFileSync(path), family || undefined);
    CjkFont.cache.set(spec, font);
    return font;
  }
}
