import type { IntakeStatusRow, ScoreRow } from '@kaowu/contracts';
import { LanguageSwitch, formatDateTime, useLanguage } from '@kaowu/ui';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useT } from './messages';
import { ApiError, fetchIntake, fetchScores } from './provincial-api';
import { ResultFileImport } from './result-file-import';

interface Loaded {
  intake: IntakeStatusRow[];
  scores: ScoreRow[];
  at: number;
}

/** 成绩与回收状态: which room packages arrived, and the objective scores computed from them. `children` sit under the header. */
export function ResultsPage({ children }: { children?: ReactNode }) {
  const t = useT();
  const { lang } = useLanguage();
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);

  const load = useCallback(async () => {
    const id = ++latest.current;
    setLoading(true);
    try {
      const [intake, scores] = await Promise.all([fetchIntake(), fetchScores()]);
      if (id !== latest.current) return;
      setData({ intake, scores, at: Date.now() });
      setError(null);
    } catch (e) {
      if (id !== latest.current) return;
      setError(e instanceof ApiError ? e : new ApiError('未知错误', 'Unknown error'));
    } finally {
      if (id === latest.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="page">
      <header className="top-bar">
        <h1>{t('page.title')}</h1>
        <span className="spacer" />
        {data && <span className="muted">{t('page.updatedAt', { time: formatDateTime(data.at) })}</span>}
        <button type="button" onClick={() => void load()} disabled={loading}>
          {loading ? t('page.loading') : t('page.refresh')}
        </button>
        <LanguageSwitch />
      </header>
      {error && (
        <p role="alert" className="error">
          {t('page.loadFailed', { message: lang === 'en' ? error.messageEn : error.messageZh })}
        </p>
      )}
      {children}
      <ResultFileImport onImported={() => void load()} />
      <Table
        title={t('intake.title')}
        empty={t('intake.empty')}
        head={[t('intake.venue'), t('intake.room'), t('intake.session'), t('intake.package'), t('intake.receivedAt'), t('intake.attempts'), t('intake.answers')]}
        numericFrom={5}
        rows={(data?.intake ?? []).map((r) => ({
          key: r.packageId,
          cells: [r.venueCode, r.roomCode, r.sessionId, r.packageId, formatDateTime(r.receivedAt), r.attempts, r.answers],
        }))}
      />
      <Table
        title={t('scores.title')}
        empty={t('scores.empty')}
        head={[t('scores.ticketNo'), t('scores.name'), t('scores.session'), t('scores.objective'), t('scores.answered')]}
        numericFrom={3}
        rows={(data?.scores ?? []).map((r) => ({
          key: `${r.sessionId}/${r.ticketNo}`,
          cells: [r.ticketNo, r.name, r.sessionId, r.voided ? t('scores.voided', { score: r.objectiveScore }) : r.objectiveScore, r.answered],
        }))}
      />
    </div>
  );
}

function Table({ title, head, rows, empty, numericFrom }: { title: string; head: string[]; rows: { key: string; cells: ReactNode[] }[]; empty: string; numericFrom: number }) {
  return (
    <section className="card">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={h} scope="col" className={i >= numericFrom ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={head.length} className="muted">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={row.key}>
                {row.cells.map((cell, i) => (
                  <td key={i} className={i >= numericFrom ? 'num' : undefined}>
                    {cell}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}
