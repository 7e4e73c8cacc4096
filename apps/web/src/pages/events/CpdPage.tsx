import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import type { CpdRecord } from '../../api/types';
import { formatDate } from '../../components/labels';
import { Async, ErrorPanel, PageHeading, useAsync } from '../../components/ui';

export function CpdPage() {
  const record = useAsync(['/me/cpd'], () => api.get<CpdRecord>('/me/cpd'));
  const [problem, setProblem] = useState<unknown>(null);

  async function openPrintable() {
    try {
      const { data } = await api.blob('/me/cpd/print');
      const url = URL.createObjectURL(new Blob([await data.text()], { type: 'text/html' }));
      window.open(url, '_blank', 'noopener');
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      setProblem(error);
    }
  }

  return (
    <>
      <PageHeading>My CPD record</PageHeading>
      <p>Events you attended, with the CPD hours their organisers recorded.</p>
      {problem ? <ErrorPanel error={problem} /> : null}
      <Async state={record} what="Loading your CPD record">
        {(data) =>
          data.entries.length === 0 ? (
            <p>
              Nothing yet. When a co-chair records your attendance, or you check in at an event, it appears here.{' '}
              <Link to="/communities">Find events in your communities</Link>.
            </p>
          ) : (
            <>
              <p className="nhsuk-body-l">
                Total: <strong>{data.totalHours} hours</strong>
              </p>
              <table className="nhsuk-table">
                <caption className="nhsuk-table__caption">Events attended</caption>
                <thead className="nhsuk-table__head">
                  <tr className="nhsuk-table__row">
                    <th className="nhsuk-table__header" scope="col">
                      Date
                    </th>
                    <th className="nhsuk-table__header" scope="col">
                      Event
                    </th>
                    <th className="nhsuk-table__header" scope="col">
                      Community
                    </th>
                    <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                      CPD hours
                    </th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {data.entries.map((e) => (
                    <tr className="nhsuk-table__row" key={e.eventId}>
                      <td className="nhsuk-table__cell">{formatDate(e.startsAt)}</td>
                      <td className="nhsuk-table__cell">
                        <Link to={`/events/${e.eventId}`}>{e.title}</Link>
                      </td>
                      <td className="nhsuk-table__cell">{e.communityName}</td>
                      <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{e.cpdHours}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )
        }
      </Async>
      <div className="cophub-actions">
        <button
          type="button"
          className="nhsuk-button nhsuk-button--secondary"
          onClick={() => void api.download('/me/cpd.csv', 'cpd-record.csv').catch(setProblem)}
        >
          Download as a spreadsheet (CSV)
        </button>
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => void openPrintable()}>
          Open a printable version
        </button>
      </div>
    </>
  );
}
