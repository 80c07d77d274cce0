/**
 * startService() in this process, with a slow route: on shutdown the in-flight request finishes,
 * readiness goes red at once, and new connections are refused.
 */
import { Controller, Get, Module } from '@nestjs/common';
import { startService, Unauthenticated, type RunningService } from '@portal/platform';

@Controller()
@Unauthenticated()
class SlowController {
  @Get('slow')
  async slow() {
    await new Promise((r) => setTimeout(r, 1000));
    return { finished: true };
  }
}

@Module({ controllers: [SlowController] })
class SlowModule {}

describe('graceful shutdown', () => {
  let running: RunningService;

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'silent';
    running = await startService({
      pluginId: 'shutdowntest',
      role: 'gateway',
      version: '0.0.1',
      imports: [SlowModule],
      defaultPorts: { http: 0, grpc: 0 },
    });
  });

  it('lets in-flight requests finish and refuses new ones', async () => {
    const url = `http://127.0.0.1:${running.httpPort}`;
    expect((await fetch(`${url}/.backstage/health/v1/readiness`)).status).toBe(200);
    const inflight = fetch(`${url}/slow`);
    await new Promise((r) => setTimeout(r, 200));
    const stopping = running.shutdown('test');
    expect(running.context.readiness.isReady()).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    await expect(fetch(`${url}/slow`)).rejects.toThrow();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ finished: true });
    await stopping;
  });
});
