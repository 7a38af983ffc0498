import { Alert, App, Button, Card, Input, Space, Typography } from 'antd';
import { formatDateTime } from '@kaowu/ui';
import { useEffect, useState } from 'react';
import { useT } from '../messages';
import { useErrorText } from '../error-text';
import { ApiError } from '../provincial-api';
import { fetchTicketPrinting, setTicketPrinting } from '../planning-admin-api';

/** The candidates' public page (网上打印准考证), next to the console in the same build. */
export const PUBLIC_PRINT_PAGE = `${import.meta.env.BASE_URL}print.html`;

/** 网上打印准考证: when the public page opens for this sitting (Beijing time), and a link to it. */
export function TicketPrintingCard({ sittingCode, canEdit }: { sittingCode: string; canEdit: boolean }) {
  const t = useT();
  const message = useErrorText();
  const { message: toast } = App.useApp();
  const [opensAt, setOpensAt] = useState<{ at: string; open: boolean } | null>(null);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    fetchTicketPrinting()
      .then((list) => {
        if (!live) return;
        const mine = list.find((s) => s.sittingCode === sittingCode);
        setOpensAt(mine?.opensAt ? { at: mine.opensAt, open: mine.open } : null);
      })
      .catch((e: unknown) => live && setError(message(e)));
    return () => {
      live = false;
    };
  }, [sittingCode, version, message]);

  const save = async () => {
    try {
      // The clerk types Beijing wall-clock time.
      const m = /^(\d{4}-\d{2}-\d{2})\s+([01]\d|2[0-3]):([0-5]\d)$/.exec(draft.trim());
      if (!m) throw new ApiError('开放时间格式为 2026-08-20 10:00（北京时间，24 小时制）', 'the opening time must look like 2026-08-20 10:00 (Beijing time)');
      await setTicketPrinting(sittingCode, `${m[1]}T${m[2]}:${m[3]}:00+08:00`);
      setError(null);
      toast.success(t('common.saved'));
      setVersion((v) => v + 1);
    } catch (e) {
      setError(message(e));
    }
  };

  return (
    <Card title={t('plan.printing')} extra={<Typography.Link href={PUBLIC_PRINT_PAGE} target="_blank">{t('plan.printingLink')}</Typography.Link>}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text>
          {opensAt ? (opensAt.open ? t('plan.printingOpen', { time: formatDateTime(opensAt.at) }) : t('plan.printingAt', { time: formatDateTime(opensAt.at) })) : t('plan.printingNone')}
        </Typography.Text>
        {canEdit && (
          <Space>
            <label htmlFor="printing-opens-at">{t('plan.printingOpensAt')}</label>
            <Input id="printing-opens-at" placeholder="2026-08-20 10:00" value={draft} onChange={(e) => setDraft(e.target.value)} style={{ width: 200 }} />
            <Button onClick={() => void save()} disabled={!draft}>
              {t('plan.printingSet')}
            </Button>
          </Space>
        )}
        {error && <Alert type="error" role="alert" showIcon title={error} />}
      </Space>
    </Card>
  );
}
