import { App as AntApp, Button, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useLanguage } from '@kaowu/ui';
import { Alert } from 'antd';
import { useT } from './messages';
import type { ProctorRoom, UiError } from './proctor-room';

/** 广播: one message on every exam screen of the room (e.g. 距考试结束还有 15 分钟，请抓紧时间). */
export function BroadcastAction({ room }: { room: ProctorRoom }) {
  const t = useT();
  const { lang } = useLanguage();
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const [form] = Form.useForm<{ message: string }>();
  const send = async (v: { message: string }) => {
    const r = await room.broadcast({ message: v.message.trim() });
    if (!r.ok) return setError(r.error);
    setError(null);
    setOpen(false);
    form.resetFields();
    void message.success(t('broadcast.done', { count: r.data.delivered }));
  };
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t('broadcast.open')}</Button>
      <Modal open={open} title={t('broadcast.title')} okText={t('broadcast.submit')} cancelText={t('action.cancel')} onOk={() => form.submit()} onCancel={() => setOpen(false)} destroyOnHidden>
        <Form form={form} name="broadcast" layout="vertical" onFinish={(v) => void send(v)} onValuesChange={() => setError(null)}>
          <Form.Item name="message" label={t('broadcast.message')} rules={[{ required: true, whitespace: true, min: 2, message: t('broadcast.required') }]}>
            <Input.TextArea rows={3} maxLength={200} showCount placeholder={t('broadcast.placeholder')} />
          </Form.Item>
        </Form>
        {error ? <Alert type="error" showIcon title={lang === 'en' ? error.messageEn : error.message} /> : null}
      </Modal>
    </>
  );
}
