import type { VenueOverview, VenuePlanning } from '@kaowu/contracts';
import { Alert, Button, Col, Form, Input, InputNumber, Modal, Row, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useT } from '../messages';
import { ApiError } from '../provincial-api';
import { useErrorText } from '../error-text';
import { setVenuePlanning, type Region } from '../planning-admin-api';

interface PlanningForm {
  regionCode: string;
  address: string;
  spareRoomCode?: string;
  technicalContacts: VenuePlanning['technicalContacts'];
  proctors: Record<string, number | null>;
}

const ROLES = ['chief', 'technician', 'lab-admin'] as const;

/**
 * 考点编排信息: region, address, spare room, technical contacts and proctors per room, in a dialog.
 * A 市、州 考办 keeps the venue in its own region (the server refuses anything else); the server's
 * refusal lands on the field it names ('proctors.R01', 'technicalContacts.0.phone').
 */
export function VenuePlanningDialog({ venue, regions, lockRegion, onClose, onSaved }: { venue: VenueOverview; regions: Region[]; lockRegion: boolean; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const message = useErrorText();
  const [form] = Form.useForm<PlanningForm>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    form.setFieldsValue({
      regionCode: venue.regionCode ?? undefined,
      address: venue.address ?? '',
      spareRoomCode: venue.spareRoomCode ?? undefined,
      technicalContacts: venue.technicalContacts,
      proctors: Object.fromEntries(venue.rooms.map((r) => [r.roomCode, r.proctorsAssigned])),
    });
  }, [venue, form]);

  const save = async (v: PlanningForm) => {
    setBusy(true);
    try {
      const proctors = Object.fromEntries(Object.entries(v.proctors ?? {}).flatMap(([room, n]) => (n === null || n === undefined ? [] : [[room, n]])));
      await setVenuePlanning(venue.venueCode, { regionCode: v.regionCode, address: v.address, spareRoomCode: v.spareRoomCode || undefined, technicalContacts: v.technicalContacts ?? [], proctors });
      onSaved();
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
    <Modal open title={`${t('venues.edit')}：${venue.name}（${venue.venueCode}）`} onCancel={onClose} footer={null} width={760} destroyOnHidden>
      <Form<PlanningForm> form={form} layout="vertical" onFinish={(v) => void save(v)} aria-label={t('venues.edit')}>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item label={t('venues.region')} name="regionCode" rules={[{ required: true, message: '请选择地区' }]}>
              <Select aria-label={t('venues.region')} disabled={lockRegion} options={regions.map((r) => ({ value: r.regionCode, label: `${r.name}（${r.regionCode}）` }))} />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item label={t('venues.address')} name="address" rules={[{ required: true, whitespace: true, message: '请填写考点地址' }]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('venues.spareRoom')} name="spareRoomCode" extra={t('venues.spareRoomHint')}>
          <Select aria-label={t('venues.spareRoom')} allowClear options={venue.rooms.map((r) => ({ value: r.roomCode, label: `${r.name}（${r.roomCode}）` }))} />
        </Form.Item>
        <Typography.Text strong>{t('venues.proctorsAssigned')}</Typography.Text>
        <Row gutter={12} style={{ marginTop: 8 }}>
          {venue.rooms.map((r) => (
            <Col span={6} key={r.roomCode}>
              <Form.Item label={`${r.name}（${r.roomCode}）`} name={['proctors', r.roomCode]} rules={[{ type: 'integer', min: 0, max: 20, message: '0–20 人' }]}>
                <InputNumber min={0} max={20} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Typography.Text strong>{t('venues.contacts')}</Typography.Text>
        <Form.List name="technicalContacts">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, i) => (
                <Row key={field.key} gutter={12} align="bottom" style={{ marginTop: 8 }}>
                  <Col span={6}>
                    <Form.Item label={t('venues.contactRole')} name={[field.name, 'role']} rules={[{ required: true, message: '请选择职责' }]}>
                      <Select aria-label={`${t('venues.contactRole')} ${i + 1}`} options={ROLES.map((r) => ({ value: r, label: t(`contact.${r}`) }))} />
                    </Form.Item>
                  </Col>
                  <Col span={7}>
                    <Form.Item label={t('venues.contactName')} name={[field.name, 'name']} rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}>
                      <Input />
                    </Form.Item>
                  </Col>
                  <Col span={7}>
                    <Form.Item label={t('venues.contactPhone')} name={[field.name, 'phone']} rules={[{ required: true, pattern: /^[0-9+\- ]{5,20}$/, message: '请填写正确的电话号码' }]}>
                      <Input />
                    </Form.Item>
                  </Col>
                  <Col span={4}>
                    <Form.Item>
                      <Button danger onClick={() => remove(field.name)} aria-label={`${t('common.remove')} ${t('venues.contacts')} ${i + 1}`}>
                        {t('common.remove')}
                      </Button>
                    </Form.Item>
                  </Col>
                </Row>
              ))}
              <Button onClick={() => add({ role: 'technician', name: '', phone: '' })} style={{ marginTop: 8 }}>
                {t('venues.addContact')}
              </Button>
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
