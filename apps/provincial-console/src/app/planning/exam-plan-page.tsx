import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Row, Space, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useEffect, useState } from 'react';
import { useT } from '../messages';
import { ApiError } from '../provincial-api';
import { useErrorText } from '../error-text';
import { createSitting, fetchSitting, updateSitting, type SittingPlan } from '../planning-admin-api';
import { TicketPrintingCard } from './ticket-printing-card';

interface PlanForm {
  sittingCode?: string;
  name: string;
  minMinutesBeforeHandIn: number;
  lateLoginCutoffMinutes: number;
  subjects: { subjectCode: string; subjectName: string; durationMinutes: number }[];
  batches: { batchCode: string; name?: string; date: string; startTimes: string[] }[];
}

/** Beijing wall-clock HH:MM of an instant (batch start times are entered and shown in Beijing time). */
const beijingHhMm = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(11, 16);

const toForm = (p: SittingPlan): PlanForm => ({
  name: p.name,
  minMinutesBeforeHandIn: p.minMinutesBeforeHandIn,
  lateLoginCutoffMinutes: p.lateLoginCutoffMinutes,
  subjects: p.subjects,
  batches: p.batches.map((b) => ({ batchCode: b.batchCode, name: b.name, date: b.date, startTimes: p.subjects.map((s) => beijingHhMm(b.subjects.find((x) => x.subjectCode === s.subjectCode)?.startsAt ?? '')) })),
});

const EMPTY: PlanForm = {
  name: '',
  minMinutesBeforeHandIn: 90,
  lateLoginCutoffMinutes: 30,
  subjects: [
    { subjectCode: 'ZJSW', subjectName: '中级会计实务', durationMinutes: 165 },
    { subjectCode: 'CWGL', subjectName: '财务管理', durationMinutes: 135 },
    { subjectCode: 'JJF', subjectName: '经济法', durationMinutes: 120 },
  ],
  batches: [{ batchCode: 'B1', name: '第1批次', date: '', startTimes: ['08:30', '13:30', '18:00'] }],
};

/** Put the server's complaint on the field it names ('batches.0.startTimes.1' → that input), when it is on screen. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a path the server names, checked against the form at run time
function showOnField(form: FormInstance<any>, error: ApiError): boolean {
  if (!error.field) return false;
  const name = error.field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  if (form.getFieldValue(name) === undefined) return false;
  form.setFields([{ name, errors: [error.messageZh] }]);
  return true;
}

/**
 * 考试计划: the sitting's subjects in order with durations, its batches with dates and start times,
 * the hand-in and late-login rules — edited in one form; the server's refusal lands on the field at fault.
 */
export function ExamPlanPage({ sittingCode, canEdit, onSaved }: { sittingCode?: string; canEdit: boolean; onSaved: (sittingCode: string) => void }) {
  const t = useT();
  const message = useErrorText();
  const { message: toast } = App.useApp();
  const [form] = Form.useForm<PlanForm>();
  const [creating, setCreating] = useState(!sittingCode);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const subjects = Form.useWatch('subjects', form) ?? [];

  useEffect(() => {
    let live = true;
    setError(null);
    if (!sittingCode || creating) {
      form.setFieldsValue(EMPTY);
      return;
    }
    fetchSitting(sittingCode)
      .then((plan) => live && form.setFieldsValue(toForm(plan)))
      .catch((e: unknown) => live && setError(message(e)));
    return () => {
      live = false;
    };
  }, [sittingCode, creating, form, message]);

  const save = async (values: PlanForm) => {
    setBusy(true);
    setError(null);
    const plan = { ...values, batches: values.batches.map((b) => ({ ...b, name: b.name || undefined })) };
    try {
      const saved = creating ? await createSitting({ ...plan, sittingCode: values.sittingCode ?? '' }) : await updateSitting(sittingCode ?? '', plan);
      form.setFieldsValue(toForm(saved));
      setCreating(false);
      toast.success(t('common.saved'));
      onSaved(saved.sittingCode);
    } catch (e) {
      // The alert says what is wrong; the field, when on screen, says where.
      if (e instanceof ApiError) showOnField(form, e);
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const required = (field: string) => ({ required: true, message: t('plan.required', { field }) });

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center">
        <Typography.Title level={2} style={{ margin: 0 }}>
          {creating ? t('plan.new') : t('plan.title')}
        </Typography.Title>
        {canEdit && !creating && <Button onClick={() => setCreating(true)}>{t('plan.new')}</Button>}
      </Space>
      {!canEdit && <Alert type="info" showIcon title={t('plan.readOnly')} />}
      {error && <Alert type="error" role="alert" showIcon title={error} />}
      <Form<PlanForm> form={form} layout="vertical" disabled={!canEdit} onFinish={(v) => void save(v)} aria-label={t('plan.title')}>
        <Card>
          <Row gutter={16}>
            {creating && (
              <Col span={4}>
                <Form.Item label={t('plan.code')} name="sittingCode" rules={[required(t('plan.code')), { pattern: /^[A-Za-z0-9_-]{1,32}$/, message: '只能包含字母、数字、- 和 _（1–32 位）' }]}>
                  <Input placeholder="ZJ2026" />
                </Form.Item>
              </Col>
            )}
            <Col span={creating ? 8 : 12}>
              <Form.Item label={t('plan.name')} name="name" rules={[required(t('plan.name'))]}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item label={t('plan.minBeforeHandIn')} name="minMinutesBeforeHandIn" rules={[{ required: true, type: 'integer', min: 0, max: 600, message: '请输入 0–600 的整数' }]}>
                <InputNumber min={0} max={600} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item label={t('plan.lateCutoff')} name="lateLoginCutoffMinutes" rules={[{ required: true, type: 'integer', min: 0, max: 120, message: '请输入 0–120 的整数' }]}>
                <InputNumber min={0} max={120} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={t('plan.subjects')} extra={<Typography.Text type="secondary">{t('plan.lockedHint')}</Typography.Text>} style={{ marginTop: 16 }}>
          <Form.List name="subjects">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, i) => (
                  <Row key={field.key} gutter={16} align="bottom" data-testid={`subject-${i}`}>
                    <Col span={1}>
                      <Form.Item label=" " colon={false}>
                        <Typography.Text strong>{i + 1}</Typography.Text>
                      </Form.Item>
                    </Col>
                    <Col span={5}>
                      <Form.Item label={t('plan.subjectCode')} name={[field.name, 'subjectCode']} rules={[required(t('plan.subjectCode'))]}>
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col span={8}>
                      <Form.Item label={t('plan.subjectName')} name={[field.name, 'subjectName']} rules={[required(t('plan.subjectName'))]}>
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col span={6}>
                      <Form.Item label={t('plan.duration')} name={[field.name, 'durationMinutes']} rules={[{ required: true, type: 'integer', min: 1, max: 600, message: '请输入 1–600 的整数' }]}>
                        <InputNumber min={1} max={600} style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col span={4}>
                      <Form.Item>
                        <Button danger onClick={() => remove(field.name)} disabled={!canEdit || fields.length <= 1} aria-label={`${t('common.remove')} ${i + 1}`}>
                          {t('common.remove')}
                        </Button>
                      </Form.Item>
                    </Col>
                  </Row>
                ))}
                <Button onClick={() => add({ subjectCode: '', subjectName: '', durationMinutes: 120 })}>{t('plan.addSubject')}</Button>
              </>
            )}
          </Form.List>
        </Card>
        <Card title={t('plan.batches')} style={{ marginTop: 16 }}>
          <Form.List name="batches">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, i) => (
                  <Card key={field.key} size="small" style={{ marginBottom: 12 }} data-testid={`batch-${i}`}>
                    <Row gutter={16} align="bottom">
                      <Col span={3}>
                        <Form.Item label={t('plan.batchCode')} name={[field.name, 'batchCode']} rules={[required(t('plan.batchCode'))]}>
                          <Input />
                        </Form.Item>
                      </Col>
                      <Col span={3}>
                        <Form.Item label={t('plan.batchName')} name={[field.name, 'name']}>
                          <Input />
                        </Form.Item>
                      </Col>
                      <Col span={4}>
                        <Form.Item label={t('plan.date')} name={[field.name, 'date']} rules={[required(t('plan.date')), { pattern: /^\d{4}-\d{2}-\d{2}$/, message: '日期格式为 2026-09-05' }]}>
                          <Input placeholder="2026-09-05" />
                        </Form.Item>
                      </Col>
                      {subjects.map((s, k) => (
                        <Col span={4} key={k}>
                          <Form.Item label={t('plan.startTime', { subject: s?.subjectName || s?.subjectCode || `${k + 1}` })} name={[field.name, 'startTimes', k]} rules={[required(t('plan.startTime', { subject: s?.subjectName ?? '' })), { pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: '时间格式为 08:30（24 小时制）' }]}>
                            <Input placeholder="08:30" />
                          </Form.Item>
                        </Col>
                      ))}
                      <Col span={2}>
                        <Form.Item>
                          <Button danger onClick={() => remove(field.name)} disabled={!canEdit || fields.length <= 1} aria-label={`${t('common.remove')} ${t('plan.batches')} ${i + 1}`}>
                            {t('common.remove')}
                          </Button>
                        </Form.Item>
                      </Col>
                    </Row>
                  </Card>
                ))}
                <Button onClick={() => add({ batchCode: `B${fields.length + 1}`, name: `第${fields.length + 1}批次`, date: '', startTimes: subjects.map(() => '') })}>{t('plan.addBatch')}</Button>
              </>
            )}
          </Form.List>
        </Card>
        {canEdit && (
          <Space style={{ marginTop: 16 }}>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('common.save')}
            </Button>
            {creating && sittingCode && <Button onClick={() => setCreating(false)}>取消</Button>}
          </Space>
        )}
      </Form>
      {sittingCode && !creating && <TicketPrintingCard sittingCode={sittingCode} canEdit={canEdit} />}
    </Space>
  );
}
