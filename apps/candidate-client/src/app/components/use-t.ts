import { useTranslate } from '@kaowu/ui';
import { tr } from '../messages';

export const useT = () => useTranslate(tr);
