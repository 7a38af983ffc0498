import type { IntakeSession, RoomCompleteness, RoomIntakeState, RoomPackageDetail, SessionCompleteness } from '@kaowu/contracts';
import { formatDateTime, useLanguage } from '@kaowu/ui';
import { Alert, ConfigProvider, Descriptions, Drawer, Select, Space, Table, Tag, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, fetchCompleteness, fetchIntakeSessions, fetchPackageDetail } from './provincial-api';

const REFRESH_MS = 10_000;

const STATE_COLOR: Record<RoomIntakeState, string> = {
  not_started: 'default',
  in_progress: 'processing',
  awaiting_upload: 'gold',
  sealed: 'cyan',
  uploaded: 'blue',
  verified: 'success',
  late: 'error',
  failed: 'magenta',
};

const TEXT = {
  zh: {
    title: '回收完整性',
    session: '场次',
    venue: '考点',
    room: '考场',
    state: '状态',
    deadline: '上传时限',
    candidates: '应考 / 实考',
    received: '接收时间',
    problem: '问题',
    left: '剩余 {m} 分钟',
    over: '已超时 {m} 分钟',
    receivedLate: '逾期接收',
    noSessions: '尚无下发考试包的场次',
    detail: '考场数据包 {id}',
    attempts: '考生作答',
    ticketNo: '准考证号',
    status: '状态',
    answers: '作答数',
    chainHead: '哈希链头',
    incidents: '异常情况',
    noIncidents: '无异常记录',
    absent: '缺考考生',
    noAbsent: '无缺考',
    auditHead: '审计链头',
    closedAt: '考场结束',
    receipt: '回执',
    loadFailed: '加载失败：{message}',
    states: { not_started: '未开始', in_progress: '考试中', awaiting_upload: '待上传', sealed: '已封装·上传中', uploaded: '已上传·待核验', verified: '已核验', late: '超时未交', failed: '核验失败' },
  },
  en: {
    title: 'Intake completeness',
    session: 'Session',
    venue: 'Venue',
    room: 'Room',
    state: 'State',
    deadline: 'Upload deadline',
    candidates: 'Expected / present',
    received: 'Received',
    problem: 'Problem',
    left: '{m} min left',
    over: '{m} min late',
    receivedLate: 'received late',
    noSessions: 'No session with venue packages yet',
    detail: 'Room package {id}',
    attempts: 'Attempts',
    ticketNo: 'Ticket no.',
    status: 'Status',
    answers: 'Answers',
    chainHead: 'Chain head',
    incidents: 'Incidents',
    noIncidents: 'No incidents',
    absent: 'Absent candidates',
    noAbsent: 'Nobody absent',
    auditHead: 'Audit head',
    closedAt: 'Room closed',
    receipt: 'Receipt',
    loadFailed: 'Loading failed: {message}',
    states: { not_started: 'Not started', in_progress: 'In progress', awaiting_upload: 'Awaiting upload', sealed: 'Sealed, uploading', uploaded: 'Uploaded, verifying', verified: 'Verified', late: 'Late', failed: 'Failed' },
  },
} as const;

const fill = (s: string, v: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(v[k] ?? ''));

/**
 * 回收完整性看板: every venue × room of a session with its state against the 30-minute
 * upload deadline; a verified room opens to its manifest, incidents and absent candidates.
 */
export function CompletenessDashboard() {
  const { lang } = useLanguage();
  const t = TEXT[lang === 'en' ? 'en' : 'zh'];
  const [sessions, setSessions] = useState<IntakeSession[]>([]);
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [data, setData] = useState<SessionCompleteness | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState<RoomCompleteness | null>(null);

  const load = useCallback(async () => {
    try {
      const list = await fetchIntakeSessions();
      setSessions(list);
      const id = sessionId ?? list[0]?.sessionId ?? null;
      if (id !== sessionId) setSessionId(id);
      setData(id ? await fetchCompleteness(id) : null);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('未知错误', 'Unknown error'));
    }
  }, [sessionId]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const deadline = (r: RoomCompleteness) => {
    const minutes = Math.ceil(Math.abs(r.secondsToDeadline) / 60);
    return (
      <span>
        {formatDateTime(r.deadlineAt)} <Typography.Text type={r.secondsToDeadline < 0 ? 'danger' : 'secondary'}>({fill(r.secondsToDeadline < 0 ? t.over : t.left, { m: minutes })})</Typography.Text>
      </span>
    );
  };

  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} button={{ autoInsertSpace: false }}>
      <section className="card completeness" aria-label={t.title}>
        <Space style={{ padding: '0.7em 1em' }} wrap>
          <Typography.Title level={2} style={{ fontSize: '1.1em', margin: 0 }}>
            {t.title}
          </Typography.Title>
          <span>{t.session}</span>
          <Select
            aria-label={t.session}
            style={{ minWidth: 120 }}
            value={sessionId ?? undefined}
            onChange={(v: string) => setSessionId(v)}
            options={sessions.map((s) => ({ value: s.sessionId, label: `${s.sessionId} · ${formatDateTime(s.startsAt)}` }))}
            notFoundContent={t.noSessions}
          />
          {data &&
            (Object.keys(STATE_COLOR) as RoomIntakeState[])
              .filter((s) => data.counts[s] > 0)
              .map((s) => (
                <Tag key={s} color={STATE_COLOR[s]} data-testid={`count-${s}`}>
                  {t.states[s]} {data.counts[s]}
                </Tag>
              ))}
        </Space>
        {error && <Alert type="error" showIcon title={fill(t.loadFailed, { message: lang === 'en' ? error.messageEn : error.messageZh })} />}
        <Table<RoomCompleteness>
          size="small"
          pagination={false}
          rowKey={(r) => `${r.venueCode}/${r.roomCode}`}
          dataSource={data?.rooms ?? []}
          onRow={(r) => ({ onClick: () => r.state === 'verified' && setOpen(r), style: { cursor: r.state === 'verified' ? 'pointer' : undefined } })}
          columns={[
            { title: t.venue, key: 'venue', render: (_, r) => `${r.venueCode} ${r.venueName}` },
            { title: t.room, dataIndex: 'roomCode' },
            {
              title: t.state,
              key: 'state',
              render: (_, r) => (
                <Space size={4}>
                  <Tag color={STATE_COLOR[r.state]}>{t.states[r.state]}</Tag>
                  {r.receivedLate && <Tag color="warning">{t.receivedLate}</Tag>}
                </Space>
              ),
            },
            { title: t.deadline, key: 'deadline', render: (_, r) => (r.state === 'verified' ? formatDateTime(r.deadlineAt) : deadline(r)) },
            { title: t.candidates, key: 'candidates', align: 'right', render: (_, r) => `${r.expectedCandidates} / ${r.presentCandidates ?? '—'}` },
            { title: t.received, key: 'received', render: (_, r) => (r.receivedAt ? formatDateTime(r.receivedAt) : '—') },
            { title: t.problem, key: 'problem', render: (_, r) => (r.errorCode ? `${r.errorCode}：${r.errorMessage ?? ''}` : '') },
          ]}
        />
        <Drawer open={open !== null} onClose={() => setOpen(null)} size="large" title={open ? fill(t.detail, { id: open.packageId ?? '' }) : ''}>
          {open?.packageId && <PackageDetail packageId={open.packageId} text={t} />}
        </Drawer>
      </section>
    </ConfigProvider>
  );
}

function PackageDetail({ packageId, text: t }: { packageId: string; text: (typeof TEXT)['zh'] | (typeof TEXT)['en'] }) {
  const { lang } = useLanguage();
  const [detail, setDetail] = useState<RoomPackageDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    fetchPackageDetail(packageId).then(setDetail, (e: unknown) => setError(e instanceof ApiError ? e : new ApiError('未知错误', 'Unknown error')));
  }, [packageId]);
  if (error) return <Alert type="error" showIcon title={fill(t.loadFailed, { message: lang === 'en' ? error.messageEn : error.messageZh })} />;
  if (!detail) return null;
  const m = detail.manifest.body;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t.closedAt}>{formatDateTime(m.closedAt)}</Descriptions.Item>
        <Descriptions.Item label={t.candidates}>{`${m.expectedCandidates} / ${m.presentCandidates}`}</Descriptions.Item>
        <Descriptions.Item label={t.auditHead}>{`#${m.auditHead.auditId} ${m.auditHead.hash.slice(0, 16)}…`}</Descriptions.Item>
        <Descriptions.Item label={t.receipt}>{`${detail.receipt.body.answersImported} · ${formatDateTime(detail.receipt.body.receivedAt)}`}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={3} style={{ fontSize: '1em' }}>
        {t.absent}
      </Typography.Title>
      <Typography.Paragraph>{detail.absent.length ? detail.absent.map((a) => `${a.ticketNo} ${a.name}`).join('、') : t.noAbsent}</Typography.Paragraph>
      <Typography.Title level={3} style={{ fontSize: '1em' }}>
        {t.incidents}
      </Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey="auditId"
        locale={{ emptyText: t.noIncidents }}
        dataSource={m.incidents}
        columns={[
          { title: '#', dataIndex: 'auditId' },
          { title: t.received, key: 'at', render: (_, i) => formatDateTime(i.at) },
          { title: t.state, dataIndex: 'action' },
          { title: t.ticketNo, key: 'ticketNo', render: (_, i) => i.ticketNo ?? '—' },
          { title: t.problem, key: 'reason', render: (_, i) => i.reason ?? '' },
        ]}
      />
      <Typography.Title level={3} style={{ fontSize: '1em' }}>
        {t.attempts}
      </Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey="attemptId"
        dataSource={m.attempts}
        columns={[
          { title: t.ticketNo, dataIndex: 'ticketNo' },
          { title: t.status, dataIndex: 'status' },
          { title: t.answers, dataIndex: 'answerCount', align: 'right' },
          { title: t.chainHead, key: 'chainHead', render: (_, a) => <code>{a.chainHead.slice(0, 12)}…</code> },
        ]}
      />
    </Space>
  );
}
