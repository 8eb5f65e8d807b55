import os from 'node:os';
import pg from 'pg';

/** Where the numbers were taken. */
export interface MachineInfo {
  cores: number;
  cpuModel: string;
  node: string;
  postgres: string;
  os: string;
  /** 1-minute load average when the run started and when it ended (other jobs share the machine). */
  load: { start: number; end: number | null };
}

export async function describeMachine(databaseUrl: string | undefined): Promise<MachineInfo> {
  let postgres = 'not used';
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      postgres = `PostgreSQL ${(await client.query<{ server_version: string }>('show server_version')).rows[0]!.server_version}`;
    } finally {
      await client.end();
    }
  }
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    postgres,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    load: { start: os.loadavg()[0] as number, end: null },
  };
}
