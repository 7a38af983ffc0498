import { useLanguage } from '@kaowu/ui';
import { Alert, App as AntApp, Button, Form, Input } from 'antd';
import { useState, type ReactNode } from 'react';
import { useT } from './messages';
import type { ActionOutcome, UiError } from './proctor-room';

export interface ReasonValues {
  reason: string;
}

interface ActionFormProps<V extends ReasonValues, T> {
  /** Form name: prefixes the field ids, so several forms can live on one screen. */
  name: string;
  submitLabel: string;
  danger?: boolean;
  /** The label of the required text (default 原因). */
  reasonLabel?: string;
  /** Fields before the reason. */
  children?: ReactNode;
  /** The confirmation: what is about to happen, to whom (the reason is added below it). */
  confirm: (values: V) => { title: string; content: string };
  run: (values: V) => Promise<ActionOutcome<T>>;
  onDone: (data: T, values: V) => void;
}

/**
 * A proctor action: its fields and a required 原因, then a confirmation that names the candidate,
 * then the request. A refusal stays in the form, in the server's own words.
 */
export function ActionForm<V extends ReasonValues, T>({ name, submitLabel, danger, reasonLabel, children, confirm, run, onDone }: ActionFormProps<V, T>) {
  const t = useT();
  const { lang } = useLanguage();
  const { modal } = AntApp.useApp();
  const [form] = Form.useForm<V>();
  const [refusal, setRefusal] = useState<UiError | null>(null);

  const onFinish = (values: V) => {
    const reason = values.reason.trim();
    const what = confirm({ ...values, reason });
    modal.confirm({
      title: what.title,
      content: (
        <div className="confirm-body">
          <p>{what.content}</p>
          <p className="hint">{t('action.reasonLine', { reason })}</p>
        </div>
      ),
      okText: t('action.confirm'),
      cancelText: t('action.cancel'),
      okButtonProps: { danger },
      onOk: async () => {
        const outcome = await run({ ...values, reason });
        if (!outcome.ok) {
          setRefusal(outcome.error);
          return;
        }
        setRefusal(null);
        form.resetFields();
        onDone(outcome.data, { ...values, reason });
      },
    });
  };

  return (
    <Form<V> form={form} name={name} layout="vertical" onFinish={onFinish} onValuesChange={() => setRefusal(null)} className="action-form">
      {children}
      <Form.Item
        name="reason"
        label={reasonLabel ?? t('action.reason')}
        rules={[
          { required: true, whitespace: true, message: t('action.reasonRequired') },
          { validator: (_, value: string | undefined) => ((value ?? '').trim().length === 1 ? Promise.reject(new Error(t('action.reasonShort'))) : Promise.resolve()) },
        ]}
      >
        <Input.TextArea rows={2} maxLength={500} showCount placeholder={t('action.reasonPlaceholder')} />
      </Form.Item>
      {refusal ? <Alert type="error" showIcon className="refusal" title={lang === 'en' ? refusal.messageEn : refusal.message} /> : null}
      <Button type="primary" danger={danger} htmlType="submit">
        {submitLabel}
      </Button>
    </Form>
  );
}
