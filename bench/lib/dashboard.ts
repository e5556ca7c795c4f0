// The "course dashboard" the query bench measures — courses → their submissions →
// each submission's comments, history and course — and the same data fetched by
// hand-written SQL through the bare driver (the floor), answered in the same JSON shape.
import Database from 'better-sqlite3';
import { createPool, Pool, RowDataPacket } from 'mysql2/promise';

export const DASHBOARD_QUERY = /* GraphQL */ `
  query Dashboard($ids: [ID!]!, $courses: Int!, $per: Int!) {
    courses(filter: { ids: $ids }, first: $courses) {
      nodes {
        id
        title
        sisSourceId
        lastActivityAt
        submissions(first: $per) {
          totalCount
          nodes {
            id
            userId
            grade
            score
            workflowState
            late
            updatedAt
            comments(first: 5) {
              totalCount
              nodes {
                id
                authorId
                body
                createdAt
              }
            }
            history {
              eventName
              workflowState
              score
              eventTime
            }
            course {
              id
              title
            }
          }
        }
      }
    }
  }
`;

export interface DashboardVariables {
  ids: string[];
  courses: number;
  per: number;
}

type Row = Record<string, unknown>;

/** Runs one statement and returns plain rows (ids and times as strings). */
export type RawQuery = (sql: string, params: unknown[]) => Promise<Row[]>;

export function mysqlRawQuery(url: string): { query: RawQuery; close(): Promise<void> } {
  const pool: Pool = createPool({
    uri: url,
    connectionLimit: 10,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  });
  return {
    query: async (sql, params) => (await pool.query<RowDataPacket[]>(sql, params))[0] as Row[],
    close: () => pool.end(),
  };
}

export function sqliteRawQuery(path: string): { query: RawQuery; close(): Promise<void> } {
  const db = new Database(path, { readonly: true });
  db.defaultSafeIntegers(true);
  const cache = new Map<string, Database.Statement>();
  return {
    query: async (sql, params) => {
      let stmt = cache.get(sql);
      if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
      return (stmt.all(...params) as Row[]).map((r) => {
        for (const [k, v] of Object.entries(r)) if (typeof v === 'bigint') r[k] = v.toString();
        return r;
      });
    },
    close: async () => void db.close(),
  };
}

const iso = (v: unknown): string | null => (v == null ? null : `${String(v).replace(' ', 'T')}Z`);
const num = (v: unknown): number | null => (v == null ? null : Number(v));
const bool = (v: unknown): boolean | null => (v == null ? null : Boolean(Number(v)));
const str = (v: unknown): string | null => (v == null ? null : String(v));
const placeholders = (n: number) => Array(n).fill('?').join(', ');

/** Six statements, whatever N: the page of each parent via ROW_NUMBER, counts via GROUP BY. */
export async function handDashboard(query: RawQuery, v: DashboardVariables): Promise<unknown> {
  const courses = await query(
    `SELECT id, title, sis_source_id, last_activity_at FROM courses WHERE id IN (${placeholders(v.ids.length)}) ORDER BY id LIMIT ?`,
    [...v.ids, v.courses],
  );
  const courseIds = courses.map((c) => String(c.id));
  const courseById = new Map(courses.map((c) => [String(c.id), c]));
  const none = courseIds.length === 0;
  const subCounts = none
    ? []
    : await query(
        `SELECT course_id, COUNT(*) AS total FROM submissions WHERE course_id IN (${placeholders(courseIds.length)}) GROUP BY course_id`,
        courseIds,
      );
  const subs = none
    ? []
    : await query(
        `SELECT * FROM (SELECT id, course_id, user_id, grade, score, workflow_state, late, updated_at,
           ROW_NUMBER() OVER (PARTITION BY course_id ORDER BY id) AS rn
           FROM submissions WHERE course_id IN (${placeholders(courseIds.length)})) ranked WHERE rn <= ? ORDER BY course_id, rn`,
        [...courseIds, v.per],
      );
  const subIds = subs.map((s) => String(s.id));
  const some = subIds.length > 0;
  const commentCounts = some
    ? await query(
        `SELECT submission_id, COUNT(*) AS total FROM submission_comments WHERE submission_id IN (${placeholders(subIds.length)}) GROUP BY submission_id`,
        subIds,
      )
    : [];
  const comments = some
    ? await query(
        `SELECT * FROM (SELECT id, submission_id, author_id, body, created_at,
           ROW_NUMBER() OVER (PARTITION BY submission_id ORDER BY id) AS rn
           FROM submission_comments WHERE submission_id IN (${placeholders(subIds.length)})) ranked WHERE rn <= 5 ORDER BY submission_id, rn`,
        subIds,
      )
    : [];
  const history = some
    ? await query(
        `SELECT submission_id, event_name, workflow_state, score, event_time FROM submission_versions
         WHERE submission_id IN (${placeholders(subIds.length)}) ORDER BY submission_id, clock, event_id`,
        subIds,
      )
    : [];
  const group = (rows: Row[], key: string) => {
    const out = new Map<string, Row[]>();
    for (const r of rows) {
      const k = String(r[key]);
      const list = out.get(k);
      if (list) list.push(r);
      else out.set(k, [r]);
    }
    return out;
  };
  const subsByCourse = group(subs, 'course_id');
  const commentsBySub = group(comments, 'submission_id');
  const historyBySub = group(history, 'submission_id');
  const subTotal = new Map(subCounts.map((r) => [String(r.course_id), Number(r.total)]));
  const commentTotal = new Map(commentCounts.map((r) => [String(r.submission_id), Number(r.total)]));
  return {
    data: {
      courses: {
        nodes: courses.map((c) => ({
          id: String(c.id),
          title: str(c.title),
          sisSourceId: str(c.sis_source_id),
          lastActivityAt: iso(c.last_activity_at),
          submissions: {
            totalCount: subTotal.get(String(c.id)) ?? 0,
            nodes: (subsByCourse.get(String(c.id)) ?? []).map((s) => {
              const course = courseById.get(String(s.course_id));
              return {
                id: String(s.id),
                userId: str(s.user_id),
                grade: str(s.grade),
                score: num(s.score),
                workflowState: str(s.workflow_state),
                late: bool(s.late),
                updatedAt: iso(s.updated_at),
                comments: {
                  totalCount: commentTotal.get(String(s.id)) ?? 0,
                  nodes: (commentsBySub.get(String(s.id)) ?? []).map((m) => ({
                    id: String(m.id),
                    authorId: str(m.author_id),
                    body: str(m.body),
                    createdAt: iso(m.created_at),
                  })),
                },
                history: (historyBySub.get(String(s.id)) ?? []).map((h) => ({
                  eventName: String(h.event_name),
                  workflowState: str(h.workflow_state),
                  score: num(h.score),
                  eventTime: iso(h.event_time),
                })),
                course: course ? { id: String(course.id), title: str(course.title) } : null,
              };
            }),
          },
        })),
      },
    },
  };
}
