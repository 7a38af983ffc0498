import { EnvironmentReport, StressTestRun, VenuePackageStatus, type EnvironmentCheck, type MachineCheck } from '@kaowu/contracts';
import { formatClock } from '@kaowu/ui';
import { App as AntApp, Alert, Button, Card, Descriptions, Form, Input, InputNumber, Space, Steps, Table, Tabs, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { z } from 'zod';
import { ErrorLine } from './error-line';
import { useT } from './messages';
import type { ProctorRoom, UiError } from './proctor-room';
import { StressChart } from './stress-chart';

const PackageList = z.array(VenuePackageStatus);
const LatestRun = StressTestRun.nullable();
/** The parts of the venue's /status the 模拟测试 view follows. */
const VenueStatusView = z.object({
  sessions: z.array(z.object({ sessionId: z.string(), phase: z.string() })),
  attempts: z.record(z.string(), z.number()),
  rooms: z.array(
    z.object({
      roomCode: z.string(),
      sessionId: z.string(),
      state: z.enum(['sealed', 'uploading', 'uploaded', 'refused']),
      deadlineAt: z.string().nullable(),
      uploadedAt: z.string().nullable(),
      refusedCode: z.string().nullable(),
      receipt: z.unknown().nullable(),
    }),
  ),
});
type VenueStatusView = z.infer<typeof VenueStatusView>;
const Imported = z.object({ packageId: z.string(), sessionId: z.string(), candidates: z.number(), rooms: z.number(), provinceFingerprint: z.string(), venueFingerprint: z.string() });

const PassTag = ({ ok }: { ok: boolean }) => {
  const t = useT();
  return <Tag color={ok ? 'green' : 'red'}>{t(ok ? 'tech.pass' : 'tech.fail')}</Tag>;
};

/** 技术负责人: 环境检查, 考试包与试卷, 压力测试 and 封场, on the venue server as the signed-in technician. */
export function TechnicianView({ room }: { room: ProctorRoom }) {
  const t = useT();
  return (
    <main className="technician">
      <Typography.Title level={2}>{t('tech.title')}</Typography.Title>
      <Tabs
        items={[
          { key: 'env', label: t('tech.tab.env'), children: <EnvironmentTab room={room} /> },
          { key: 'packages', label: t('tech.tab.packages'), children: <PackagesTab room={room} /> },
          { key: 'stress', label: t('tech.tab.stress'), children: <StressTab room={room} /> },
          { key: 'mock', label: t('tech.tab.mock'), children: <MockExamTab room={room} /> },
          { key: 'seal', label: t('tech.tab.seal'), children: <SealTab room={room} /> },
        ]}
      />
    </main>
  );
}

function useEnvironment(room: ProctorRoom) {
  const [report, setReport] = useState<EnvironmentReport | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [busy, setBusy] = useState(false);
  const refresh = useCallback(async () => {
    setBusy(true);
    const r = await room.rest('/technician/environment', EnvironmentReport);
    setBusy(false);
    if (r.ok) {
      setReport(r.data);
      setError(null);
    } else setError(r.error);
  }, [room]);
  useEffect(() => void refresh(), [refresh]);
  return { report, setReport, error, busy, refresh };
}

function EnvironmentTab({ room }: { room: ProctorRoom }) {
  const t = useT();
  const { report, error, busy, refresh } = useEnvironment(room);
  return (
    <section aria-label={t('tech.tab.env')}>
      <Space className="toolbar">
        <Button onClick={() => void refresh()} loading={busy}>
          {t('tech.recheck')}
        </Button>
        {report ? <Typography.Text type="secondary">{t('tech.checkedAt', { time: formatClock(report.checkedAt) })}</Typography.Text> : null}
      </Space>
      <ErrorLine error={error} />
      {report ? (
        <>
          <Alert type={report.passed ? 'success' : 'error'} showIcon title={t(report.passed ? 'tech.envPassed' : 'tech.envFailed')} data-testid="env-verdict" />
          <Table<EnvironmentCheck>
            rowKey="code"
            size="small"
            pagination={false}
            dataSource={report.checks}
            columns={[
              { title: t('tech.check'), dataIndex: 'label' },
              { title: t('tech.result'), render: (_, c) => <PassTag ok={c.ok} /> },
              { title: t('tech.detail'), dataIndex: 'detail' },
            ]}
          />
          <Typography.Title level={4}>{t('tech.machines', { count: report.machines.length })}</Typography.Title>
          <Table<MachineCheck>
            rowKey="machineId"
            size="small"
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            dataSource={report.machines}
            columns={[
              { title: t('tech.machine'), dataIndex: 'machineId' },
              { title: t('tech.seat'), render: (_, m) => (m.roomCode ? `${m.roomCode} / ${m.seatNo ?? '—'}` : '—') },
              { title: t('tech.attested'), render: (_, m) => <PassTag ok={m.attested} /> },
              { title: t('tech.clockSkew'), render: (_, m) => (m.clockSkewMs === null ? '—' : `${Math.round(m.clockSkewMs)} ms`) },
              { title: t('tech.latency'), render: (_, m) => (m.latencyMs === null || m.latencyMs === undefined ? '—' : `${Math.round(m.latencyMs)} ms`) },
              { title: t('tech.result'), render: (_, m) => <PassTag ok={m.ok} /> },
            ]}
          />
        </>
      ) : null}
    </section>
  );
}

function PackagesTab({ room }: { room: ProctorRoom }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [packages, setPackages] = useState<VenuePackageStatus[] | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [fingerprints, setFingerprints] = useState<{ province: string; venue: string } | null>(null);
  const refresh = useCallback(async () => {
    const r = await room.rest('/technician/packages', PackageList);
    if (r.ok) setPackages(r.data);
    else setError(r.error);
  }, [room]);
  useEffect(() => void refresh(), [refresh]);
  return (
    <section aria-label={t('tech.tab.packages')}>
      <Form<{ sessionId: string }>
        layout="inline"
        name="pull"
        onFinish={async (v) => {
          setBusy(true);
          const r = await room.rest('/packages/pull', Imported, { method: 'POST', body: { sessionId: (v.sessionId ?? '').trim() } });
          setBusy(false);
          if (!r.ok) return setError(r.error);
          setError(null);
          setFingerprints({ province: r.data.provinceFingerprint, venue: r.data.venueFingerprint });
          void message.success(t('tech.pulled', { session: r.data.sessionId, candidates: r.data.candidates }));
          void refresh();
        }}
      >
        <Form.Item name="sessionId" label={t('tech.sessionId')}>
          <Input autoComplete="off" />
        </Form.Item>
        <Button htmlType="submit" loading={busy}>
          {t('tech.pull')}
        </Button>
      </Form>
      <ErrorLine error={error} />
      {fingerprints && (
        <Alert
          type="info"
          showIcon
          role="status"
          message={t('tech.fingerprints')}
          description={
            <>
              <div>{t('tech.provinceFingerprint')}<Typography.Text code strong>{fingerprints.province}</Typography.Text></div>
              <div>{t('tech.venueFingerprint')}<Typography.Text code strong>{fingerprints.venue}</Typography.Text></div>
            </>
          }
        />
      )}
      <Table<VenuePackageStatus>
        rowKey="packageId"
        size="small"
        pagination={false}
        dataSource={packages ?? []}
        columns={[
          { title: t('tech.package'), dataIndex: 'packageId' },
          { title: t('tech.subject'), render: (_, p) => `${p.examName} · ${p.subjectName}` },
          { title: t('tech.startsAt'), render: (_, p) => formatClock(p.startsAt) },
          { title: t('tech.candidates'), dataIndex: 'candidates', align: 'right' },
          { title: t('tech.importedAt'), render: (_, p) => formatClock(p.importedAt) },
          {
            title: t('tech.paper'),
            render: (_, p) =>
              p.paperReleased ? <Tag color="green">{t('tech.paperOpen', { time: p.releasedAt ? formatClock(p.releasedAt) : '' })}</Tag> : <Tag>{t('tech.paperLocked', { time: formatClock(p.releaseAt) })}</Tag>,
          },
        ]}
      />
    </section>
  );
}

function StressTab({ room }: { room: ProctorRoom }) {
  const t = useT();
  const [run, setRun] = useState<StressTestRun | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const poll = useCallback(async () => {
    const r = await room.rest('/technician/stress-tests/latest', LatestRun);
    if (r.ok) setRun(r.data);
  }, [room]);
  useEffect(() => void poll(), [poll]);
  // follow a running test once a second: the chart grows as it goes
  useEffect(() => {
    if (run?.status !== 'running') return;
    const timer = setInterval(() => void poll(), 1000);
    return () => clearInterval(timer);
  }, [run?.status, poll]);
  return (
    <section aria-label={t('tech.tab.stress')}>
      <Typography.Paragraph type="secondary">{t('tech.stressHint')}</Typography.Paragraph>
      <Form<{ machines: number; seconds: number; saveEverySeconds: number }>
        layout="inline"
        name="stress"
        initialValues={{ machines: 200, seconds: 30, saveEverySeconds: 2 }}
        onFinish={async (v) => {
          const r = await room.rest('/technician/stress-tests', StressTestRun, { method: 'POST', body: v });
          if (!r.ok) return setError(r.error);
          setError(null);
          setRun(r.data);
        }}
      >
        <Form.Item name="machines" label={t('tech.stressMachines')}>
          <InputNumber min={1} max={2000} precision={0} />
        </Form.Item>
        <Form.Item name="seconds" label={t('tech.stressSeconds')}>
          <InputNumber min={5} max={600} precision={0} />
        </Form.Item>
        <Form.Item name="saveEverySeconds" label={t('tech.stressEvery')}>
          <InputNumber min={0.2} max={60} step={0.5} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={run?.status === 'running'}>
          {t('tech.stressStart')}
        </Button>
      </Form>
      <ErrorLine error={error} />
      {run ? (
        <Card size="small" className="stress-run" data-testid="stress-run">
          <Space wrap>
            <Tag color={run.status === 'passed' ? 'green' : run.status === 'failed' ? 'red' : 'blue'} data-testid="stress-status">
              {t(`tech.stress.${run.status}`)}
            </Tag>
            <span>{t('tech.stressRun', { machines: run.machines, seconds: run.seconds, time: formatClock(run.startedAt) })}</span>
          </Space>
          {run.verdict ? <Alert type="error" showIcon title={run.verdict} /> : null}
          {run.summary ? (
            <Descriptions size="small" column={4}>
              <Descriptions.Item label={t('tech.saves')}>{run.summary.saves}</Descriptions.Item>
              <Descriptions.Item label={t('tech.savesPerSecond')}>{run.summary.savesPerSecond}</Descriptions.Item>
              <Descriptions.Item label="p95">{`${run.summary.p95Ms ?? '—'} ms`}</Descriptions.Item>
              <Descriptions.Item label="p99">{`${run.summary.p99Ms ?? '—'} ms`}</Descriptions.Item>
              <Descriptions.Item label={t('tech.errors')}>{run.summary.errors + run.summary.connectFailures}</Descriptions.Item>
            </Descriptions>
          ) : null}
          <StressChart series={run.series} title={t('tech.stressChart')} />
        </Card>
      ) : null}
    </section>
  );
}

/**
 * 模拟测试 end to end with the province: the mock session's package and paper, candidates at the
 * machines, each room sealed, uploaded and answered with the province's signed receipt.
 */
function MockExamTab({ room }: { room: ProctorRoom }) {
  const t = useT();
  const [status, setStatus] = useState<VenueStatusView | null>(null);
  const [packages, setPackages] = useState<VenuePackageStatus[]>([]);
  const [error, setError] = useState<UiError | null>(null);
  useEffect(() => {
    let stopped = false;
    const load = async () => {
      const [s, p] = await Promise.all([room.rest('/status', VenueStatusView), room.rest('/technician/packages', PackageList)]);
      if (stopped) return;
      if (s.ok) setStatus(s.data);
      else setError(s.error);
      if (p.ok) setPackages(p.data);
    };
    void load();
    const timer = setInterval(() => void load(), 2000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [room]);
  const latest = packages[0];
  const rooms = status?.rooms.filter((r) => r.sessionId === latest?.sessionId) ?? [];
  const attempts = Object.values(status?.attempts ?? {}).reduce((a, b) => a + b, 0);
  const uploaded = rooms.filter((r) => r.state === 'uploaded').length;
  const paper = latest ? (latest.paperReleased ? t('tech.paperOpen', { time: latest.releasedAt ? formatClock(latest.releasedAt) : '' }) : t('tech.paperLocked', { time: formatClock(latest.releaseAt) })) : '';
  const steps = [
    { title: t('tech.mock.package'), done: !!latest, description: latest ? `${latest.sessionId} · ${latest.subjectName}` : t('tech.mock.noPackage') },
    { title: t('tech.mock.paper'), done: !!latest?.paperReleased, description: paper },
    { title: t('tech.mock.answering'), done: attempts > 0, description: t('tech.mock.attempts', { count: attempts }) },
    { title: t('tech.mock.sealed'), done: rooms.length > 0, description: t('tech.mock.roomsSealed', { count: rooms.length }) },
    { title: t('tech.mock.receipts'), done: rooms.length > 0 && uploaded === rooms.length, description: t('tech.mock.roomsUploaded', { uploaded, total: rooms.length }) },
  ];
  const current = steps.findIndex((s) => !s.done);
  return (
    <section aria-label={t('tech.tab.mock')} data-testid="mock-exam">
      <Typography.Paragraph type="secondary">{t('tech.mockHint')}</Typography.Paragraph>
      <ErrorLine error={error} />
      <Steps
        orientation="vertical"
        current={current === -1 ? steps.length : current}
        items={steps.map((s, i) => ({ title: s.title, description: s.description, status: s.done ? 'finish' : i === current ? 'process' : 'wait' }))}
      />
      {rooms.length > 0 ? (
        <Table
          rowKey="roomCode"
          size="small"
          pagination={false}
          dataSource={rooms}
          columns={[
            { title: t('chief.room'), dataIndex: 'roomCode' },
            { title: t('tech.mock.state'), render: (_, r) => <Tag color={r.state === 'uploaded' ? 'green' : r.state === 'refused' ? 'red' : 'blue'}>{t(`upload.state.${r.state}`)}</Tag> },
            { title: t('tech.mock.deadline'), render: (_, r) => (r.deadlineAt ? formatClock(r.deadlineAt) : '—') },
            { title: t('tech.mock.receipt'), render: (_, r) => (r.receipt ? t('tech.mock.receiptAt', { time: r.uploadedAt ? formatClock(r.uploadedAt) : '' }) : (r.refusedCode ?? '—')) },
          ]}
        />
      ) : null}
    </section>
  );
}

/** 封场: every server check green, then the 主考 and 技术负责人 sign; who sealed it is kept. */
function SealTab({ room }: { room: ProctorRoom }) {
  const t = useT();
  const { report, setReport, error, refresh } = useEnvironment(room);
  const [sealError, setSealError] = useState<UiError | null>(null);
  if (!report) return <ErrorLine error={error} />;
  return (
    <section aria-label={t('tech.tab.seal')}>
      <ul className="seal-checklist" data-testid="seal-checklist">
        {report.checks.map((c) => (
          <li key={c.code}>
            <PassTag ok={c.ok} /> {c.label}
            {c.ok ? null : <span className="muted">{c.detail}</span>}
          </li>
        ))}
      </ul>
      {report.sealed ? (
        <Alert type="success" showIcon data-testid="sealed" title={t('tech.sealed', { by: report.sealed.by, time: formatClock(report.sealed.at) })} />
      ) : (
        <Form<{ signedBy: string }>
          layout="vertical"
          name="seal"
          onFinish={async (v) => {
            const r = await room.rest('/technician/seal', EnvironmentReport, { method: 'POST', body: { signedBy: v.signedBy ?? '' } });
            if (!r.ok) {
              setSealError(r.error);
              return void refresh();
            }
            setSealError(null);
            setReport(r.data);
          }}
        >
          {report.passed ? null : <Alert type="warning" showIcon title={t('tech.sealBlocked')} />}
          <Form.Item name="signedBy" label={t('tech.signedBy')}>
            <Input placeholder={t('tech.signedByPlaceholder')} />
          </Form.Item>
          <ErrorLine error={sealError} />
          <Button type="primary" htmlType="submit" disabled={!report.passed}>
            {t('tech.seal')}
          </Button>
        </Form>
      )}
    </section>
  );
}
