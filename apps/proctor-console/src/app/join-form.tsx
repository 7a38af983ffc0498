import { Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { ErrorLine } from './error-line';
import { useT } from './messages';
import type { ConsoleRole, ProctorRoom, ProctorState } from './proctor-room';

interface JoinValues {
  roomCode?: string;
  accessCode?: string;
  staffNo?: string;
}

/**
 * Sign-in by role, with the credentials issued with the venue package: 监考员 by 考场号 + 监考口令
 * (their room only); 主考 and 技术负责人 by 工号 + 口令.
 */
export function JoinForm({ state, room }: { state: ProctorState; room: ProctorRoom }) {
  const t = useT();
  const role = state.role;
  return (
    <main className="join">
      <Card className="join-card">
        <Typography.Title level={2}>{t(`join.title.${role}`)}</Typography.Title>
        <Segmented<ConsoleRole>
          block
          className="role-switch"
          aria-label={t('join.role')}
          value={role}
          onChange={(r) => room.setRole(r)}
          options={(['proctor', 'chief', 'technician'] as const).map((r) => ({ value: r, label: t(`join.role.${r}`) }))}
        />
        <Form<JoinValues>
          key={role}
          name="join"
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => void (role === 'proctor' ? room.join(v.roomCode ?? '', v.accessCode ?? '') : room.signInStaff(v.staffNo ?? '', v.accessCode ?? ''))}
        >
          {role === 'proctor' ? (
            <Form.Item name="roomCode" label={t('join.roomCode')}>
              <Input autoComplete="off" autoFocus />
            </Form.Item>
          ) : (
            <Form.Item name="staffNo" label={t('join.staffNo')}>
              <Input autoComplete="off" autoFocus />
            </Form.Item>
          )}
          <Form.Item name="accessCode" label={t(role === 'proctor' ? 'join.accessCode' : 'join.staffCode')}>
            <Input.Password autoComplete="off" />
          </Form.Item>
          <ErrorLine error={state.joinError} />
          <Button type="primary" htmlType="submit" block loading={state.joinBusy}>
            {t(role === 'proctor' ? 'join.submit' : 'join.signIn')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
