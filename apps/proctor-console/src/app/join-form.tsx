import { Button, Card, Form, Input, Typography } from 'antd';
import { ErrorLine } from './error-line';
import { useT } from './messages';
import type { ProctorRoom, ProctorState } from './proctor-room';

interface JoinValues {
  roomCode?: string;
  accessCode?: string;
}

/** Sign-in by 考场号 + 监考口令 (issued with the venue package). */
export function JoinForm({ state, room }: { state: ProctorState; room: ProctorRoom }) {
  const t = useT();
  return (
    <main className="join">
      <Card className="join-card">
        <Typography.Title level={2}>{t('join.title')}</Typography.Title>
        <Form<JoinValues> name="join" layout="vertical" requiredMark={false} onFinish={(v) => void room.join(v.roomCode ?? '', v.accessCode ?? '')}>
          <Form.Item name="roomCode" label={t('join.roomCode')}>
            <Input autoComplete="off" autoFocus />
          </Form.Item>
          <Form.Item name="accessCode" label={t('join.accessCode')}>
            <Input.Password autoComplete="off" />
          </Form.Item>
          <ErrorLine error={state.joinError} />
          <Button type="primary" htmlType="submit" block loading={state.joinBusy}>
            {t('join.submit')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
