import type { StaffRole, StaffToken, StaffTokenIssued } from '@kaowu/contracts';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { formatDateTime } from '@kaowu/ui';
import { useEffect, useState } from 'react';
import { useT } from '../messages';
import { ApiError } from '../provincial-api';
import { useErrorText } from '../error-text';
import { fetchRegions, fetchStaffTokens, issueStaffToken, revokeStaffToken, type Region } from '../planning-admin-api';

interface IssueForm {
  label: string;
  role: StaffRole;
  regionCode?: string;
  validDays: number;
}

const STATUS_COLOR: Record<StaffToken['status'], string> = { active: 'green', expired: 'default', revoked: 'red' };

/**
 * 账号与令牌: the provincial admin issues a staff token (role, region of a 市、州 考办, validity) —
 * shown once — and revokes one; everyone with access sees each token's status and expiry.
 */
export function StaffTokensPage({ canIssue }: { canIssue: boolean }) {
  const t = useT();
  const message = useErrorText();
  const { message: toast } = App.useApp();
  const [form] = Form.useForm<IssueForm>();
  const role = Form.useWatch('role', form);
  const [tokens, setTokens] = useState<StaffToken[] | null>(null);
  const [regions, setRegions] = useState<Region[]>([]);
  const [issued, setIssued] = useState<StaffTokenIssued | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    fetchRegions().then(setRegions, () => setRegions([]));
  }, []);

  useEffect(() => {
    let live = true;
    fetchStaffTokens()
      .then((list) => live && (setTokens(list), setError(null)))
      .catch((e: unknown) => live && setError(message(e)));
    return () => {
      live = false;
    };
  }, [version, message]);

  const issue = async (values: IssueForm) => {
    setBusy(true);
    try {
      const token = await issueStaffToken({ ...values, regionCode: values.role === 'municipal-admin' ? values.regionCode : undefined });
      setIssued(token);
      form.resetFields();
      setError(null);
      setVersion((v) => v + 1);
    } catch (e) {
      if (e instanceof ApiError && e.field && ['label', 'role', 'regionCode', 'validDays'].includes(e.field)) form.setFields([{ name: e.field as keyof IssueForm, errors: [message(e)] }]);
      else setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (token: StaffToken) => {
    try {
      await revokeStaffToken(token.tokenId);
      toast.success(t('tokens.revoked', { label: token.label }));
      setVersion((v) => v + 1);
    } catch (e) {
      setError(message(e));
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('tokens.title')}
      </Typography.Title>
      {!canIssue && <Alert type="info" showIcon title={t('tokens.readOnly')} />}
      {error && <Alert type="error" role="alert" showIcon title={error} />}
      {canIssue && (
        <Card title={t('tokens.issue')}>
          <Form<IssueForm> form={form} layout="inline" initialValues={{ role: 'municipal-admin', validDays: 30 }} onFinish={(v) => void issue(v)} aria-label={t('tokens.issue')}>
            <Form.Item label={t('tokens.label')} name="label" rules={[{ required: true, whitespace: true, message: '请填写使用人姓名和单位' }, { max: 100, message: '不超过 100 个字' }]}>
              <Input style={{ width: 220 }} placeholder="贵阳市考办 张三" />
            </Form.Item>
            <Form.Item label={t('tokens.role')} name="role" rules={[{ required: true }]}>
              <Select
                aria-label={t('tokens.role')}
                style={{ width: 170 }}
                options={(['provincial-admin', 'municipal-admin', 'auditor'] as const).map((r) => ({ value: r, label: t(`app.role.${r}`, { region: '' }).trim() }))}
              />
            </Form.Item>
            {role === 'municipal-admin' && (
              <Form.Item label={t('tokens.region')} name="regionCode" rules={[{ required: true, message: '市、州考办令牌必须指定地区' }]}>
                <Select aria-label={t('tokens.region')} style={{ width: 180 }} options={regions.map((r) => ({ value: r.regionCode, label: `${r.name}（${r.regionCode}）` }))} />
              </Form.Item>
            )}
            <Form.Item label={t('tokens.validDays')} name="validDays" rules={[{ required: true, type: 'integer', min: 1, max: 366, message: '有效期为 1–366 天' }]}>
              <InputNumber min={1} max={366} style={{ width: 90 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('tokens.issue')}
            </Button>
          </Form>
        </Card>
      )}
      <Table<StaffToken>
        rowKey="tokenId"
        loading={tokens === null && !error}
        dataSource={tokens ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('tokens.label'), dataIndex: 'label' },
          {
            title: t('tokens.role'),
            dataIndex: 'role',
            render: (r: StaffRole, row) => t(`app.role.${r}`, { region: row.regionCode ? (regions.find((g) => g.regionCode === row.regionCode)?.name ?? row.regionCode) : '' }),
          },
          { title: t('tokens.issuedAt'), dataIndex: 'issuedAt', render: (at: string) => formatDateTime(at) },
          { title: t('tokens.issuedBy'), dataIndex: 'issuedBy' },
          { title: t('tokens.expiresAt'), dataIndex: 'expiresAt', render: (at: string) => formatDateTime(at) },
          { title: t('tokens.status'), dataIndex: 'status', render: (s: StaffToken['status']) => <Tag color={STATUS_COLOR[s]}>{t(`tokens.status.${s}`)}</Tag> },
          {
            title: '',
            render: (_, row) =>
              canIssue &&
              row.status !== 'revoked' && (
                <Popconfirm title={t('tokens.revokeConfirm', { label: row.label })} okText={t('tokens.revoke')} cancelText="取消" onConfirm={() => void revoke(row)}>
                  <Button danger size="small">
                    {t('tokens.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        open={issued !== null}
        title={issued ? `${t('tokens.issue')}：${issued.label}` : ''}
        closable={false}
        maskClosable={false}
        destroyOnHidden
        footer={
          <Button type="primary" onClick={() => setIssued(null)}>
            {t('tokens.close')}
          </Button>
        }
      >
        <Alert type="warning" showIcon title={t('tokens.shownOnce')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable={{ text: issued?.token ?? '', tooltips: [t('tokens.copy'), t('tokens.copied')] }} code data-testid="issued-token">
          {issued?.token}
        </Typography.Paragraph>
        {issued && <Typography.Text type="secondary">{`${t('tokens.expiresAt')}：${formatDateTime(issued.expiresAt)}`}</Typography.Text>}
      </Modal>
    </Space>
  );
}
