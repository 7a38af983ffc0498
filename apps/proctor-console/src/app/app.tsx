import { LanguageSwitch, t as common, useLanguage } from '@kaowu/ui';
import { App as AntApp, Button, ConfigProvider, Layout, type ThemeConfig } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useSyncExternalStore } from 'react';
import { JoinForm } from './join-form';
import { useT } from './messages';
import type { ProctorRoom } from './proctor-room';
import { RoomView } from './room-view';
import { ChiefView } from './chief-view';
import { TechnicianView } from './technician-view';

const THEME: ThemeConfig = {
  token: {
    colorPrimary: '#1f5fa8',
    fontFamily: "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', system-ui, sans-serif",
  },
};

export function App({ room }: { room: ProctorRoom }) {
  const { lang } = useLanguage();
  return (
    // autoInsertSpace off: 确定 stays 确定 (not 确 定), for people and for tests that look for it.
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={THEME} button={{ autoInsertSpace: false }}>
      <AntApp>
        <ProctorConsole room={room} />
      </AntApp>
    </ConfigProvider>
  );
}

function ProctorConsole({ room }: { room: ProctorRoom }) {
  const state = useSyncExternalStore(room.subscribe, room.getSnapshot);
  const t = useT();
  const { lang } = useLanguage();
  return (
    <Layout className="page">
      <Layout.Header className="top-bar">
        <strong>{t('app.title')}</strong>
        <span className="spacer" />
        <span className={`connection is-${state.connection}`} data-testid="connection">
          {common(`connection.${state.connection}`, lang)}
        </span>
        {state.staff ? (
          <span className="signed-in" data-testid="signed-in">
            {state.staff.name === t(`join.role.${state.staff.role}`)
              ? t('signedInNoName', { role: state.staff.name, staffNo: state.staff.staffNo })
              : t('signedIn', { role: t(`join.role.${state.staff.role}`), name: state.staff.name, staffNo: state.staff.staffNo })}
          </span>
        ) : null}
        {state.staff || state.room ? (
          <Button size="small" onClick={() => room.signOut()}>
            {t('signOut')}
          </Button>
        ) : null}
        <LanguageSwitch />
      </Layout.Header>
      <Layout.Content>
        {state.room ? (
          <RoomView state={{ ...state, room: state.room }} room={room} />
        ) : state.overview && state.staff?.role === 'chief' ? (
          <ChiefView overview={state.overview} room={room} />
        ) : state.staff?.role === 'technician' ? (
          <TechnicianView room={room} />
        ) : (
          <JoinForm state={state} room={room} />
        )}
      </Layout.Content>
    </Layout>
  );
}
