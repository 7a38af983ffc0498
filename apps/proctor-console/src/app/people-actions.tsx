import { ViolationCategory, type CandidateCard, type SeatStatus } from '@kaowu/contracts';
import { formatClock, useLanguage } from '@kaowu/ui';
import { Alert, App as AntApp, Button, Descriptions, Form, Input, Radio, Select, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { ActionForm, type ReasonValues } from './action-form';
import { useT } from './messages';
import type { ProctorRoom, UiError } from './proctor-room';

type Candidate = NonNullable<SeatStatus['candidate']>;
interface PersonProps {
  room: ProctorRoom;
  seat: SeatStatus & { candidate: Candidate };
}

/**
 * 身份核验: the registration photo beside the details, to compare with the person and the ID card;
 * 人证相符 or 人证不符 (with what differs — that raises an incident). At entry this is 签到.
 */
export function IdentityCheckPanel({ room, seat }: PersonProps) {
  const t = useT();
  const { lang } = useLanguage();
  const { message } = AntApp.useApp();
  const [card, setCard] = useState<CandidateCard | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ result: 'verified' | 'mismatch'; note?: string }>();
  const ticketNo = seat.candidate.ticketNo;
  const phase = seat.attemptId ? 'recheck' : 'entry';

  const load = () =>
    void room.candidateCard(ticketNo).then((r) => {
      if (r.ok) setCard(r.data);
      else setError(r.error);
    });
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(load, [ticketNo]);

  const submit = async (v: { result: 'verified' | 'mismatch'; note?: string }) => {
    setBusy(true);
    const r = await room.identityCheck({ ticketNo, phase, result: v.result, note: v.note?.trim() || undefined });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    form.resetFields();
    void message[v.result === 'verified' ? 'success' : 'warning'](t(v.result === 'verified' ? 'identity.doneVerified' : 'identity.doneMismatch', { name: seat.candidate.name }));
    load();
  };

  return (
    <div className="identity-check" data-testid="identity-check">
      <div className="identity-compare">
        {card?.photo ? (
          <img className="registration-photo" src={`data:${card.photo.mediaType};base64,${card.photo.data}`} alt={t('identity.photo', { name: seat.candidate.name })} />
        ) : (
          <div className="registration-photo is-missing">{t('identity.noPhoto')}</div>
        )}
        <Descriptions
          size="small"
          column={1}
          items={[
            { key: 'name', label: t('detail.candidate'), children: seat.candidate.name },
            { key: 'gender', label: t('identity.gender'), children: card ? t(card.gender === 'M' ? 'identity.male' : 'identity.female') : '…' },
            { key: 'ticket', label: t('detail.ticketNo'), children: ticketNo },
            { key: 'id', label: t('identity.idNo'), children: card?.idNo ?? '…' },
          ]}
        />
      </div>
      {card && card.checks.length > 0 ? (
        <ul className="identity-history" aria-label={t('identity.history')}>
          {card.checks.map((c) => (
            <li key={c.at + c.phase}>
              <Tag color={c.result === 'verified' ? 'green' : 'red'}>{t(c.result === 'verified' ? 'identity.verified' : 'identity.mismatch')}</Tag>
              {t(c.phase === 'entry' ? 'identity.entry' : 'identity.recheck')} · {formatClock(c.at)}
              {c.note ? ` · ${c.note}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      <Form form={form} name="identity" layout="vertical" onFinish={(v) => void submit(v)} onValuesChange={() => setError(null)}>
        <Form.Item name="result" label={t(phase === 'entry' ? 'identity.entry' : 'identity.recheck')} rules={[{ required: true, message: t('identity.resultRequired') }]}>
          <Radio.Group optionType="button" options={[{ value: 'verified', label: t('identity.verified') }, { value: 'mismatch', label: t('identity.mismatch') }]} />
        </Form.Item>
        <Form.Item noStyle shouldUpdate>
          {({ getFieldValue }) =>
            getFieldValue('result') === 'mismatch' ? (
              <Form.Item name="note" label={t('identity.note')} rules={[{ required: true, whitespace: true, min: 2, message: t('identity.noteRequired') }]}>
                <Input.TextArea rows={2} maxLength={500} showCount />
              </Form.Item>
            ) : null
          }
        </Form.Item>
        {error ? <Alert type="error" showIcon className="refusal" title={lang === 'en' ? error.messageEn : error.message} /> : null}
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('identity.submit')}
        </Button>
      </Form>
    </div>
  );
}

const CATEGORIES = ViolationCategory.options;

/** 违纪: a category from the list, what happened, and what was kept as evidence. */
export function ViolationForm({ room, seat }: PersonProps) {
  const t = useT();
  const { message } = AntApp.useApp();
  const who = t('action.who', { name: seat.candidate.name, ticketNo: seat.candidate.ticketNo, no: seat.seatNo });
  return (
    <ActionForm<ReasonValues & { category: ViolationCategory; evidence?: string }, unknown>
      name="violation"
      danger
      reasonLabel={t('violation.description')}
      submitLabel={t('violation.submit')}
      confirm={(v) => ({ title: t('violation.confirmTitle'), content: t('violation.confirm', { who, category: t(`violation.${v.category}`) }) })}
      run={(v) => room.recordViolation({ ticketNo: seat.candidate.ticketNo, category: v.category, description: v.reason, evidence: v.evidence?.trim() || undefined })}
      onDone={() => void message.warning(t('violation.done', { name: seat.candidate.name }))}
    >
      <Form.Item name="category" label={t('violation.category')} rules={[{ required: true, message: t('violation.categoryRequired') }]}>
        <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`violation.${c}`) }))} placeholder={t('violation.categoryPlaceholder')} />
      </Form.Item>
      <Form.Item name="evidence" label={t('violation.evidence')}>
        <Input maxLength={500} placeholder={t('violation.evidencePlaceholder')} />
      </Form.Item>
    </ActionForm>
  );
}

/** 强制交卷: ends the candidate's exam now; the reason becomes an incident. */
export function ForceHandInForm({ room, seat }: PersonProps & { seat: { attemptId: string } }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const who = t('action.who', { name: seat.candidate.name, ticketNo: seat.candidate.ticketNo, no: seat.seatNo });
  return (
    <ActionForm<ReasonValues, unknown>
      name="force"
      danger
      submitLabel={t('force.submit')}
      confirm={() => ({ title: t('force.confirmTitle'), content: t('force.confirm', { who }) })}
      run={(v) => room.forceHandIn({ attemptId: seat.attemptId, reason: v.reason })}
      onDone={() => void message.warning(t('force.done', { name: seat.candidate.name }))}
    />
  );
}

/** 缺考: a candidate who has not come by the late-login cutoff. */
export function MarkAbsentButton({ room, seat }: PersonProps) {
  const t = useT();
  const { lang } = useLanguage();
  const { modal, message } = AntApp.useApp();
  const [error, setError] = useState<UiError | null>(null);
  const confirm = () =>
    modal.confirm({
      title: t('absent.confirmTitle'),
      content: t('absent.confirm', { name: seat.candidate.name, ticketNo: seat.candidate.ticketNo }),
      okText: t('action.confirm'),
      cancelText: t('action.cancel'),
      onOk: async () => {
        const r = await room.markAbsent({ ticketNo: seat.candidate.ticketNo });
        if (!r.ok) return setError(r.error);
        setError(null);
        void message.success(t('absent.done', { name: seat.candidate.name }));
      },
    });
  return (
    <Space direction="vertical" className="absent-action">
      <Button onClick={confirm}>{t('absent.submit')}</Button>
      {error ? <Alert type="error" showIcon className="refusal" title={lang === 'en' ? error.messageEn : error.message} /> : null}
    </Space>
  );
}
