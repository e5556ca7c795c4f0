import type { Results } from './results';
export function renderReadme(results: Results, _dir: string): string {
  return '```json\n' + JSON.stringify(results, null, 2) + '\n```\n';
}
