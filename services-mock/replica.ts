/**
 * Runs one replica of a demo service: `tsx services-mock/replica.ts --service users --port 4101`.
 * Prints one JSON line {"service","url","pid"} once listening; stops on SIGTERM/SIGINT.
 */
import { parseArgs } from 'node:util';
import { startMockServer } from './mock-server.js';
import { mockServices } from './services/index.js';

const { values } = parseArgs({ options: { service: { type: 'string' }, port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } } });
const create = values.service ? mockServices[values.service] : undefined;
if (!create) {
  process.stderr.write(`--service must be one of: ${Object.keys(mockServices).join(', ')}\n`);
  process.exit(2);
}
const mock = await startMockServer(values.service!, create(), Number(values.port), values.host);
process.stdout.write(`${JSON.stringify({ service: mock.name, url: mock.url, pid: process.pid })}\n`);
const stop = () => void mock.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
