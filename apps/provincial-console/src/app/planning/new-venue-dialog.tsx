import type { CreateVenue } from '@kaowu/contracts';
import { Alert, Button, Col, Form, Input, InputNumber, Modal, Row } from 'antd';
import { useState } from 'react';
import { useT } from '../messages';
import { ApiError } from '../provincial-api';
import { useErrorText } from '../error-text';
import { createVenue } from '../planning-admin-api';

const CODE = { pattern: /^[A-Za-z0-9_-]{1,32}$/, message: '只能包含字母、数字、- 和 _（1–32 位）' };

/** 新增考点 (省级考办): the venue code and name and its rooms with their seat layout (rows × columns). */
export function NewVenueDialog({ onClose, onSaved }: { onClose: () => void; onSaved: (venueCode: string) => void }) {
  const t = useT();
  const message = useErrorText();
  const [form] = Form.useForm<CreateVenue>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (v: CreateVenue) => {
    setBusy(true);
    try {
      await createVenue(v);
      onSaved(v.venueCode);
    } catch (e) {
      if (e instanceof ApiError && e.field) {
        const name = e.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a path the server names
        if (form.getFieldValue(name as any) !== undefined) form.setFields([{ name: name as never, errors: [message(e)] }]);
      }
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={t('venues.new')} onCancel={onClose} footer={null} width={720} destroyOnHidden>
      <Form<CreateVenue>
        form={form}
        layout="vertical"
        initialValues={{ rooms: [{ roomCode: 'R01', name: '第1考场', rows: 6, cols: 7 }] }}
        onFinish={(v) => void save(v)}
        aria-label={t('venues.new')}
      >
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item label={t('venues.code')} name="venueCode" rules={[{ required: true, message: '请填写考点代码' }, CODE]}>
              <Input placeholder="V001" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item label={t('venues.name')} name="name" rules={[{ required: true, whitespace: true, message: '请填写考点名称' }]}>
              <Input placeholder="贵州财经大学考点" />
            </Form.Item>
          </Col>
        </Row>
        <Form.List name="rooms">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, i) => (
                <Row key={field.key} gutter={12} align="bottom">
                  <Col span={5}>
                    <Form.Item label={t('venues.roomCode')} name={[field.name, 'roomCode']} rules={[{ required: true, message: '请填写考场号' }, CODE]}>
                      <Input />
                    </Form.Item>
                  </Col>
                  <Col span={7}>
                    <Form.Item label={t('venues.roomName')} name={[field.name, 'name']} rules={[{ required: true, whitespace: true, message: '请填写考场名称' }]}>
                      <Input />
                    </Form.Item>
                  </Col>
                  <Col span={4}>
                    <Form.Item label={t('venues.rows')} name={[field.name, 'rows']} rules={[{ required: true, type: 'integer', min: 1, max: 20, message: '1–20 行' }]}>
                      <InputNumber min={1} max={20} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col span={4}>
                    <Form.Item label={t('venues.cols')} name={[field.name, 'cols']} rules={[{ required: true, type: 'integer', min: 1, max: 20, message: '1–20 列' }]}>
                      <InputNumber min={1} max={20} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col span={4}>
                    <Form.Item>
                      <Button danger disabled={fields.length <= 1} onClick={() => remove(field.name)} aria-label={`${t('common.remove')} ${t('venues.room')} ${i + 1}`}>
                        {t('common.remove')}
                      </Button>
                    </Form.Item>
                  </Col>
                </Row>
              ))}
              <Button onClick={() => add({ roomCode: `R${String(fields.length + 1).padStart(2, '0')}`, name: `第${fields.length + 1}考场`, rows: 6, cols: 7 })}>{t('venues.addRoom')}</Button>
            </>
          )}
        </Form.List>
        {error && <Alert type="error" role="alert" showIcon title={error} style={{ marginTop: 16 }} />}
        <div style={{ marginTop: 16, textAlign: 'right' }}>
          <Button onClick={onClose} style={{ marginRight: 8 }}>
            取消
          </Button>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('common.save')}
          </Button>
        </div>
      </Form>
    </Modal>
  );
}
