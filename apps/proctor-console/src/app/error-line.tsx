import { useLanguage } from '@kaowu/ui';
import { Alert } from 'antd';
import type { UiError } from './proctor-room';

/** A refusal or a lost connection, in the server's own words. */
export function ErrorLine({ error }: { error: UiError | null }) {
  const { lang } = useLanguage();
  if (!error) return null;
  return <Alert type="error" showIcon className="error-line" title={lang === 'en' ? error.messageEn : error.message} />;
}
