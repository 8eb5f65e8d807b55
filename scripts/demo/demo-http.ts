/** One HTTP answer, with its JSON body parsed when there is one. */
export interface DemoResponse {
  status: number;
  location: string | null;
  json: any;
  text: string;
}

/** Calls the example app as the billing page's script does: Bearer JWT and X-Tenant-ID, JSON in and out. */
export function demoClient(origin: string, auth: { token: string; workspace: string }) {
  return async (method: string, path: string, body?: unknown): Promise<DemoResponse> => {
    const headers: Record<string, string> = { authorization: `Bearer ${auth.token}`, 'x-tenant-id': auth.workspace };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path, origin), {
      method,
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return readResponse(response);
  };
}

/** GET without following redirects (the payer's browser, step by step). */
export async function getManual(url: string, accept = 'text/html'): Promise<DemoResponse> {
  return readResponse(await fetch(url, { redirect: 'manual', headers: { accept } }));
}

async function readResponse(response: Response): Promise<DemoResponse> {
  const text = await response.text();
  let json: unknown = null;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  return { status: response.status, location: response.headers.get('location'), json, text };
}
