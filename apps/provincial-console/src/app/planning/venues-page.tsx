import type { VenueOverview, VenueRoomOverview } from '@kaowu/contracts';
import { Alert, App, Button, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useT } from '../messages';
import { useErrorText } from '../error-text';
import { exportUrls, fetchRegions, fetchVenues, type Region } from '../planning-admin-api';
import { ExportButton } from './export-button';
import { VenuePlanningDialog } from './venue-planning-form';
import { NewVenueDialog } from './new-venue-dialog';

/**
 * 考点与考场 per region: rooms with layout and capacity, 5% spare machines, spare room, management
 * machines, proctors assigned against the work plan's rule, technical contacts, key registered;
 * each venue's tickets (PDF) and placements (Excel) for printing.
 */
export function VenuesPage({ sittingCode, regionCode: ownRegion, canEdit = false, canCreate = false }: { sittingCode?: string; regionCode: string | null; canEdit?: boolean; canCreate?: boolean }) {
  const t = useT();
  const message = useErrorText();
  const { message: toast } = App.useApp();
  const [regions, setRegions] = useState<Region[]>([]);
  const [region, setRegion] = useState<string | undefined>(ownRegion ?? undefined);
  const [venues, setVenues] = useState<VenueOverview[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<VenueOverview | null>(null);
  const [creating, setCreating] = useState(false);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    fetchRegions().then(setRegions, () => setRegions([]));
  }, []);

  useEffect(() => {
    let live = true;
    fetchVenues({ regionCode: region, sittingCode })
      .then((v) => live && (setVenues(v), setError(null)))
      .catch((e: unknown) => live && setError(message(e)));
    return () => {
      live = false;
    };
  }, [region, sittingCode, message, version]);

  const regionName = (code: string | null) => regions.find((r) => r.regionCode === code)?.name ?? code ?? '—';

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('venues.title')}
        </Typography.Title>
        <label htmlFor="venues-region">{t('venues.region')}</label>
        <Select
          id="venues-region"
          aria-label={t('venues.region')}
          style={{ minWidth: 180 }}
          value={region ?? ''}
          disabled={!!ownRegion}
          onChange={(v) => setRegion(v || undefined)}
          options={[{ value: '', label: t('common.all') }, ...regions.map((r) => ({ value: r.regionCode, label: `${r.name}（${r.regionCode}）` }))]}
        />
        <ExportButton path={exportUrls.venues({ regionCode: region, sittingCode })} fallbackName="考点与考场.xlsx" />
        {canCreate && <Button onClick={() => setCreating(true)}>{t('venues.new')}</Button>}
      </Space>
      {sittingCode && <Typography.Text type="secondary">{t('venues.allocationHint')}</Typography.Text>}
      {error && <Alert type="error" role="alert" showIcon title={error} />}
      <Table<VenueOverview>
        rowKey="venueCode"
        scroll={{ x: 'max-content' }}
        loading={venues === null && !error}
        dataSource={venues ?? []}
        locale={{ emptyText: t('venues.empty') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        expandable={{ expandedRowRender: (v) => <RoomsTable venue={v} />, rowExpandable: (v) => v.rooms.length > 0 }}
        columns={[
          { title: t('venues.region'), dataIndex: 'regionCode', render: (code: string | null) => regionName(code) },
          { title: t('venues.venue'), render: (_, v) => `${v.name}（${v.venueCode}）` },
          { title: t('venues.address'), dataIndex: 'address', render: (a: string | null) => a ?? '—' },
          { title: t('venues.rooms'), align: 'right', render: (_, v) => v.rooms.length },
          { title: t('venues.seats'), align: 'right', render: (_, v) => v.rooms.reduce((n, r) => n + r.seats, 0) },
          { title: t('venues.spareMachines'), align: 'right', render: (_, v) => v.rooms.reduce((n, r) => n + r.spareMachines, 0) },
          { title: t('venues.spareRoom'), dataIndex: 'spareRoomCode', render: (r: string | null) => r ?? '—' },
          { title: t('venues.management'), render: (_, v) => t('venues.managementValue', { total: v.managementMachines.total, spare: v.managementMachines.spare }) },
          { title: t('venues.staffing'), render: (_, v) => <StaffingSummary rooms={v.rooms} /> },
          {
            title: t('venues.key'),
            dataIndex: 'keyRegistered',
            render: (k: boolean, v: VenueOverview) => (
              <>
                <Tag color={k ? 'green' : 'orange'}>{k ? t('venues.keyYes') : t('venues.keyNo')}</Tag>
                {v.keyFingerprint && <div><Typography.Text code title={t('venues.fingerprintHint')}>{v.keyFingerprint}</Typography.Text></div>}
              </>
            ),
          },
          {
            title: t('venues.contacts'),
            dataIndex: 'technicalContacts',
            render: (cs: VenueOverview['technicalContacts']) => (cs.length ? cs.map((c) => `${t(`contact.${c.role}`)} ${c.name} ${c.phone}`).join('；') : '—'),
          },
          {
            title: '',
            render: (_, v) => (
              <Space>
                {canEdit && (
                  <Button size="small" onClick={() => setEditing(v)} aria-label={`${t('venues.editShort')} ${v.name}`}>
                    {t('venues.editShort')}
                  </Button>
                )}
                {sittingCode && (
                  <>
                    <ExportButton path={exportUrls.venueTickets(sittingCode, v.venueCode)} fallbackName={`准考证-${v.venueCode}.pdf`} label={t('venues.tickets')} />
                    <ExportButton path={exportUrls.placements(sittingCode, v.venueCode)} fallbackName={`编排结果-${v.venueCode}.xlsx`} label={t('venues.placements')} />
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      {creating && (
        <NewVenueDialog
          onClose={() => setCreating(false)}
          onSaved={(venueCode) => {
            setCreating(false);
            toast.success(t('venues.created', { venueCode }));
            setVersion((n) => n + 1);
          }}
        />
      )}
      {editing && (
        <VenuePlanningDialog
          venue={editing}
          regions={regions}
          lockRegion={!!ownRegion}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            toast.success(t('common.saved'));
            setVersion((n) => n + 1);
          }}
        />
      )}
    </Space>
  );
}

function StaffingSummary({ rooms }: { rooms: VenueRoomOverview[] }) {
  const t = useT();
  const checked = rooms.filter((r) => r.staffing !== null);
  if (checked.length === 0) return <>—</>;
  const problems = checked.filter((r) => r.staffing !== 'ok');
  return problems.length === 0 ? <Tag color="green">{t('staffing.ok')}</Tag> : <Tag color="orange">{problems.map((r) => `${r.roomCode} ${t(`staffing.${r.staffing ?? 'ok'}`)}`).join('、')}</Tag>;
}

function RoomsTable({ venue }: { venue: VenueOverview }) {
  const t = useT();
  return (
    <Table<VenueRoomOverview>
      size="small"
      rowKey="roomCode"
      scroll={{ x: 'max-content' }}
      pagination={false}
      dataSource={venue.rooms}
      aria-label={`${venue.name} ${t('venues.room')}`}
      columns={[
        { title: t('venues.room'), render: (_, r) => `${r.name}（${r.roomCode}）` },
        { title: t('venues.layout'), render: (_, r) => t('venues.layoutValue', { rows: r.rows, cols: r.cols }) },
        { title: t('venues.seats'), dataIndex: 'seats', align: 'right' },
        { title: t('venues.spareMachines'), dataIndex: 'spareMachines', align: 'right' },
        { title: t('venues.allocatable'), dataIndex: 'allocatable', align: 'right' },
        { title: t('venues.spareRoom'), dataIndex: 'spareRoom', render: (s: boolean) => (s ? t('common.yes') : '—') },
        { title: t('venues.candidates'), dataIndex: 'candidates', align: 'right', render: (n: number | null) => n ?? '—' },
        { title: t('venues.proctors'), render: (_, r) => `${r.proctorsRequired ? `${r.proctorsRequired.min}–${r.proctorsRequired.max}` : '—'} / ${r.proctorsAssigned ?? '—'}` },
        { title: t('venues.staffing'), dataIndex: 'staffing', render: (s: VenueRoomOverview['staffing']) => (s ? <Tag color={s === 'ok' ? 'green' : 'orange'}>{t(`staffing.${s}`)}</Tag> : '—') },
      ]}
    />
  );
}
