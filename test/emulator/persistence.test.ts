import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dualTunnelConnection, singleTunnelConnection, startEmulator } from '../../emulator';
import { describeConnection, modify, sdkClient, settled, tunnelSpec } from './helpers';

describe('emulator: state file', () => {
  let dir: string;
  let stateFile: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vpc-emulator-'));
    stateFile = join(dir, 'nested', 'state.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps seeded and modified connections across a restart', async () => {
    const first = await startEmulator({ stateFile, taskDurationMs: 20 });
    first.admin.seed([singleTunnelConnection('vco-p1'), dualTunnelConnection('vco-p2')]);
    const client = sdkClient(first);
    await modify(client, 'vco-p1', { name: 'persisted' });
    await settled(client, 'vco-p1');
    await first.close();

    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    expect(state.connections).to.have.length(2);
    expect(readdirSync(join(dir, 'nested'))).to.deep.equal(['state.json']);

    const second = await startEmulator({ stateFile });
    try {
      const body = (await describeConnection(sdkClient(second), 'vco-p1')).body;
      expect(body?.name).to.equal('persisted');
      expect(body?.state).to.equal('attached');
      expect(second.admin.get('vco-p2')).to.deep.equal(dualTunnelConnection('vco-p2'));
    } finally {
      await second.close();
    }
  });

  it('finishes a task that was running when the emulator stopped', async () => {
    const first = await startEmulator({ stateFile, taskDurationMs: 60_000 });
    first.admin.seed(dualTunnelConnection('vco-mid'));
    await modify(sdkClient(first), 'vco-mid', { tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 1, enableDpd: false })] });
    expect(first.admin.get('vco-mid').State).to.equal('updating');
    await first.close();

    const second = await startEmulator({ stateFile });
    try {
      const conn = second.admin.get('vco-mid');
      expect(conn?.State).to.equal('attached');
      expect(conn?.TunnelOptionsSpecification?.TunnelOptions.map((t) => [t.State, t.EnableDpd])).to.deep.equal([
        ['active', 'false'],
        ['active', 'true'],
      ]);
    } finally {
      await second.close();
    }
  });

  it('seeds only connections the state file does not already hold', async () => {
    const first = await startEmulator({ stateFile, seed: [singleTunnelConnection('vco-s', { Name: 'from-seed' })] });
    first.admin.patch('vco-s', { Name: 'edited' });
    await first.close();

    const second = await startEmulator({ stateFile, seed: [singleTunnelConnection('vco-s', { Name: 'from-seed' }), singleTunnelConnection('vco-new')] });
    try {
      expect(second.admin.get('vco-s').Name).to.equal('edited');
      expect(second.admin.get('vco-new').Name).to.equal('emulator-new');
    } finally {
      await second.close();
    }
  });
});
