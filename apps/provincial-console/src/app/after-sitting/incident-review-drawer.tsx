import { INCIDENT_DECISION_LABELS, IncidentDecisionKind, type DecideIncident, type IncidentDetail } from '@kaowu/contracts';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Select, Space, Tag, Timeline, Typography } from 'antd';
import { formatDateTime, useLanguage } from '@kaowu/ui';
import { useEffect, useState } from 'react';
import { ApiError } from '../provincial-api';
import { decideIncident, fetchIncident } from './after-sitting-api';
import { useAfterSittingT, type AfterSittingKey } from './after-sitting-messages';

type Draft = { decision?: DecideIncident['decision']; basis: string; note: string; revisionReason: string };
const EMPTY: Draft = { basis: '', note: '', revisionReason: '' };

/** One incident: what the proctor recorded, the decisions so far, and (for those who may) the decision form. */
export function IncidentReviewDrawer({ sittingCode, incidentId, canDecide, onClose, onDecided }: { sittingCode: string; incidentId: string | null; canDecide: boolean; onClose: () => void; onDecided: () => void }) {
  const t = useAfterSittingT();
  const { lang } = useLanguage();
  const { message } = App.useApp();
  const [detail, setDetail] = useState<IncidentDetail | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const text = (e: ApiError) => (lang === 'en' ? e.messageEn : e.messageZh);

  useEffect(() => {
    setDetail(null);
    setDraft(EMPTY);
    setError(null);
    if (!incidentId) return;
    let live = true;
    fetchIncident(sittingCode, incidentId)
      .then((d) => live && setDetail(d))
      .catch((e: unknown) => live && setError(e instanceof ApiError ? e : new ApiError(String(e), String(e))));
    return () => {
      live = false;
    };
  }, [sittingCode, incidentId]);

  const submit = async () => {
    if (!incidentId) return;
    setBusy(true);
    try {
      const body: DecideIncident = {
        decision: draft.decision as DecideIncident['decision'],
        basis: draft.basis,
        ...(draft.note.trim() ? { note: draft.note } : {}),
        ...(detail?.decision ? { revisionReason: draft.revisionReason } : {}),
        expectedRevision: detail?.decision?.revision ?? 0,
      };
      setDetail(await decideIncident(sittingCode, incidentId, body));
      setDraft(EMPTY);
      setError(null);
      void message.success(t('review.saved'));
      onDecided();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(String(e), String(e)));
    } finally {
      setBusy(false);
    }
  };

  // A server refusal that names a field is shown on that field; anything else above the form.
  const on = (field: string) => (error?.field === field ? { validateStatus: 'error' as const, help: text(error) } : {});
  const general = error && !['decision', 'basis', 'note', 'revisionReason'].includes(error.field ?? '') ? error : null;
  const label = (d: IncidentDecisionKind) => INCIDENT_DECISION_LABELS[d][lang === 'en' ? 'en' : 'zh'];

  return (
    <Drawer open={incidentId !== null} onClose={onClose} size="large" title={t('review.title', { id: incidentId ?? '' })} destroyOnHidden>
      {general && <Alert type="error" role="alert" showIcon title={text(general)} style={{ marginBottom: 16 }} />}
      {detail && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('incidents.kind')}>
              <Tag color={detail.kind === 'violation' ? 'red' : 'orange'}>{t(`kind.${detail.kind}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('review.candidate')}>{detail.ticketNo ? `${detail.candidateName ?? ''}（${detail.ticketNo}）` : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('review.place')}>{`${detail.venueName}（${detail.venueCode}） / ${detail.roomCode} / ${detail.subjectName} ${detail.sessionId}`}</Descriptions.Item>
            {detail.category && <Descriptions.Item label={t('review.category')}>{t(`category.${detail.category}` as AfterSittingKey)}</Descriptions.Item>}
            <Descriptions.Item label={t('incidents.facts')}>{detail.facts ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('review.evidence')}>{detail.evidence ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('review.recordedBy')}>{`${detail.recordedBy}，${formatDateTime(detail.recordedAt)}`}</Descriptions.Item>
          </Descriptions>

          <div>
            <Typography.Title level={4}>{t('review.history')}</Typography.Title>
            {detail.history.length === 0 ? (
              <Typography.Text type="secondary">{t('review.noHistory')}</Typography.Text>
            ) : (
              <Timeline
                items={detail.history.map((h) => ({
                  key: h.revision,
                  color: h.revision === detail.history.length ? 'blue' : 'gray',
                  content: (
                    <div data-testid={`decision-${h.revision}`}>
                      <Typography.Text strong>{`${t('review.revision', { n: h.revision })}：${label(h.decision)}`}</Typography.Text>
                      <div>{`${t('review.basis')}：${h.basis}`}</div>
                      {h.note && <div>{`${t('review.note')}：${h.note}`}</div>}
                      {h.revisionReason && <div>{t('review.reason', { reason: h.revisionReason })}</div>}
                      <Typography.Text type="secondary">{t('review.by', { who: h.decidedBy, time: formatDateTime(h.decidedAt) })}</Typography.Text>
                    </div>
                  ),
                }))}
              />
            )}
          </div>

          {canDecide ? (
            <Form layout="vertical" onFinish={() => void submit()}>
              <Form.Item label={t('review.decision')} required {...on('decision')}>
                <Select
                  aria-label={t('review.decision')}
                  value={draft.decision}
                  onChange={(decision) => setDraft({ ...draft, decision })}
                  options={IncidentDecisionKind.options.map((d) => ({ value: d, label: label(d) }))}
                />
              </Form.Item>
              <Form.Item label={t('review.basis')} required {...on('basis')}>
                <Input aria-label={t('review.basis')} placeholder={t('review.basisHint')} value={draft.basis} onChange={(e) => setDraft({ ...draft, basis: e.target.value })} />
              </Form.Item>
              <Form.Item label={t('review.note')} {...on('note')}>
                <Input.TextArea aria-label={t('review.note')} rows={2} value={draft.note} onChange={(e) => setDraft({ ...draft, note: e.target.value })} />
              </Form.Item>
              {detail.decision && (
                <Form.Item label={t('review.revisionReason')} required extra={t('review.revisionHint')} {...on('revisionReason')}>
                  <Input aria-label={t('review.revisionReason')} value={draft.revisionReason} onChange={(e) => setDraft({ ...draft, revisionReason: e.target.value })} />
                </Form.Item>
              )}
              <Button type="primary" htmlType="submit" loading={busy} disabled={!draft.decision}>
                {t('review.submit')}
              </Button>
            </Form>
          ) : (
            <Typography.Text type="secondary">{t('review.readOnly')}</Typography.Text>
          )}
        </Space>
      )}
    </Drawer>
  );
}
