import { it } from 'vitest';
import { BOB, startAccountsGraph } from './accounts-graph.js';
it('debug', async () => {
  await using graph = await startAccountsGraph();
  for (let i = 0; i < 3; i++) {
    const r = await graph.query('{ vault { code } }', BOB);
    console.log(JSON.stringify(r.body.errors[0].extensions));
  }
});
