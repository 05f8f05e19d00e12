import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/knobs.js', import.meta.url));

describe('knobs playground', () => {
  it('serves the page and the API on 127.0.0.1 until stopped', async () => {
    const child = spawn(process.execPath, [bin, 'playground', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OPENAI_API_KEY: '' } });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        const timer = setTimeout(() => reject(new Error(`no URL within 30 s; output: ${output}`)), 30_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /knobs playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1] as string);
          }
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app">');
      const info = (await (await fetch(new URL('api/info', url))).json()) as { models: { id: string }[]; openai: boolean };
      expect(info.models[0]?.id).toBe('embedded');
      expect(info.openai).toBe(false);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('refuses a bad port with a message naming it and the range', () => {
    const result = spawnSync(process.execPath, [bin, 'playground', '--port', '99999'], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toBe('knobs: --port = "99999" is out of range: expected an integer in [0, 65535]\n');
  });
});
