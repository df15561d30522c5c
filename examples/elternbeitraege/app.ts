import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { careHours, incomeBrackets, type CareHours } from './fees.ts';
import type { Html } from './html.ts';
import { acrHigh, LevelNotReached, type Servicekonto } from './oidc.ts';
import { declarationPage, errorPage, layout, overviewPage, startPage, type FormErrors } from './pages.ts';
import { sameSecret, sessionStore, type Session } from './sessions.ts';
import { submissionStore } from './store.ts';

export interface ExampleOptions {
  servicekonto: Servicekonto;
  /** This service's own base URL (the callback is checked against it). */
  baseUrl: string;
  dataFile: string;
  secureCookies: boolean;
  demo?: { username: string; password: string } | undefined;
  logger?: FastifyServerOptions['logger'];
}

const cookie = 'eb_session';

const loginErrors: Record<string, string> = {
  abgebrochen: 'Die Anmeldung wurde abgebrochen. Sie können es jederzeit erneut versuchen.',
  vertrauensniveau:
    'Die Anmeldung hat das Vertrauensniveau hoch nicht erreicht. Bitte melden Sie sich mit Ihrem Online-Ausweis an.',
  fehlgeschlagen: 'Die Anmeldung ist fehlgeschlagen. Bitte versuchen Sie es erneut.',
};

/** "Elternbeiträge Online": a municipality's online service that logs citizens in through the Servicekonto. */
export async function buildExample(options: ExampleOptions) {
  const fastify = Fastify({ logger: options.logger ?? false, bodyLimit: 32 * 1024 });
  await fastify.register(fastifyCookie);
  await fastify.register(fastifyFormbody);
  await fastify.register(fastifyStatic, {
    root: fileURLToPath(new URL('../../node_modules/@kern-ux/native/dist/', import.meta.url)),
    prefix: '/static/kern/',
    decorateReply: false,
  });
  fastify.addHook('onSend', async (_request, reply) => {
    reply.header(
      'content-security-policy',
      "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; img-src 'self' data:",
    );
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });
  const css = readFileSync(new URL('./example.css', import.meta.url), 'utf8');
  fastify.get('/static/example.css', async (_request, reply) =>
    reply.type('text/css').header('cache-control', 'max-age=3600').send(css),
  );

  const sessions = sessionStore();
  const store = submissionStore(options.dataFile);
  const open = (request: FastifyRequest, reply: FastifyReply): { id: string; session: Session } => {
    const result = sessions.get(request.cookies[cookie]);
    if (result.id !== request.cookies[cookie])
      reply.setCookie(cookie, result.id, { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/' });
    return result;
  };
  const page = (reply: FastifyReply, title: string, body: Html, session: Session | undefined, status = 200) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(layout(title, body, session?.user ? { csrf: session.csrf } : undefined));
  const form = (request: FastifyRequest): Record<string, string> => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(body)
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
        .map(([k, v]) => [k, v.slice(0, 500)]),
    );
  };

  fastify.setErrorHandler((error, request, reply) => {
    request.log.error({ err: error }, 'request failed');
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return page(
      reply,
      'Fehler',
      errorPage(
        status < 500 ? 'Die Anfrage ist ungültig.' : 'Ein Fehler ist aufgetreten. Bitte versuchen Sie es erneut.',
      ),
      undefined,
      status < 500 ? status : 500,
    );
  });
  fastify.setNotFoundHandler((_request, reply) =>
    page(reply, 'Nicht gefunden', errorPage('Diese Seite gibt es nicht.'), undefined, 404),
  );

  fastify.get('/', async (request, reply) => {
    const { session } = open(request, reply);
    if (session.user) return reply.redirect('/uebersicht', 303);
    const query = request.query as Record<string, string | undefined>;
    const error = query.fehler ? (loginErrors[query.fehler] ?? loginErrors.fehlgeschlagen) : undefined;
    return page(reply, 'Start', startPage(options.demo, query.abgemeldet === '1', error), session);
  });

  // Click 1 of 4: off to the Servicekonto. `?vertrauensniveau=hoch` asks for the online ID (acr_values high).
  fastify.get('/anmelden', async (request, reply) => {
    const { session } = open(request, reply);
    const high = (request.query as Record<string, string | undefined>).vertrauensniveau === 'hoch';
    const { url, pending } = await options.servicekonto.startLogin(high ? { acr: acrHigh } : {});
    session.pending = pending;
    return reply.redirect(url, 303);
  });

  fastify.get('/callback', async (request, reply) => {
    const { session } = open(request, reply);
    const query = request.query as Record<string, string | undefined>;
    const pending = session.pending;
    session.pending = undefined;
    if (query.error)
      return reply.redirect(`/?fehler=${query.error === 'access_denied' ? 'abgebrochen' : 'fehlgeschlagen'}`, 303);
    if (!pending) return reply.redirect('/?fehler=fehlgeschlagen', 303);
    try {
      const user = await options.servicekonto.finishLogin(new URL(request.url, options.baseUrl), pending);
      session.user = user;
      return reply.redirect('/uebersicht', 303);
    } catch (error) {
      request.log.warn({ err: error }, 'login failed');
      return reply.redirect(
        `/?fehler=${error instanceof LevelNotReached ? 'vertrauensniveau' : 'fehlgeschlagen'}`,
        303,
      );
    }
  });

  fastify.get('/uebersicht', async (request, reply) => {
    const { session } = open(request, reply);
    if (!session.user) return reply.redirect('/', 303);
    const flash = session.flash;
    session.flash = undefined;
    return page(
      reply,
      'Übersicht',
      overviewPage(session.user, store.forSubject(session.user.subject), flash, new Date()),
      session,
    );
  });

  fastify.get('/selbsteinschaetzung', async (request, reply) => {
    const { session } = open(request, reply);
    if (!session.user) return reply.redirect('/', 303);
    const info = session.user.userinfo;
    const parentName = [info.given_name, info.family_name].filter((v) => typeof v === 'string' && v).join(' ');
    return page(reply, 'Selbsteinschätzung', declarationPage(session.csrf, { parentName }, {}), session);
  });

  fastify.post('/selbsteinschaetzung', async (request, reply) => {
    const { session } = open(request, reply);
    if (!session.user) return reply.redirect('/', 303);
    const values = form(request);
    if (!sameSecret(values.csrf ?? '', session.csrf))
      return page(
        reply,
        'Fehler',
        errorPage('Das Formular ist abgelaufen. Bitte laden Sie die Seite neu.'),
        session,
        403,
      );
    const errors: FormErrors = {};
    if (!values.parentName?.trim()) errors.parentName = 'Bitte geben Sie Ihren Namen ein.';
    if (!values.childName?.trim()) errors.childName = 'Bitte geben Sie den Namen des Kindes ein.';
    const birth = isoDate(values.childBirthdate ?? '');
    if (!birth || Date.parse(birth) > Date.now())
      errors.childBirthdate = 'Bitte geben Sie das Geburtsdatum des Kindes ein, z. B. 17.05.2021.';
    if (!values.facility?.trim()) errors.facility = 'Bitte geben Sie die Einrichtung an.';
    const hours = Number(values.careHours);
    if (!careHours.includes(hours as CareHours)) errors.careHours = 'Bitte wählen Sie den Betreuungsumfang.';
    const bracket = Number(values.incomeBracket);
    if (values.incomeBracket === '' || !Number.isInteger(bracket) || bracket < 0 || bracket >= incomeBrackets.length)
      errors.incomeBracket = 'Bitte wählen Sie Ihr Haushaltseinkommen.';
    if (values.confirm !== 'yes') errors.confirm = 'Bitte bestätigen Sie, dass Ihre Angaben richtig sind.';
    if (Object.keys(errors).length > 0)
      return page(reply, 'Selbsteinschätzung', declarationPage(session.csrf, values, errors), session, 400);
    store.add(
      {
        subject: session.user.subject,
        parentName: values.parentName?.trim() ?? '',
        childName: values.childName?.trim() ?? '',
        childBirthdate: birth ?? '',
        facility: values.facility?.trim() ?? '',
        incomeBracket: bracket,
        careHours: hours as CareHours,
      },
      new Date(),
    );
    session.flash = 'Vielen Dank. Ihre Selbsteinschätzung ist eingegangen.';
    return reply.redirect('/uebersicht', 303);
  });

  fastify.post('/abmelden', async (request, reply) => {
    const { id, session } = open(request, reply);
    const values = form(request);
    if (!session.user || !sameSecret(values.csrf ?? '', session.csrf)) return reply.redirect('/', 303);
    const target = await options.servicekonto.logoutUrl(session.user.idToken);
    sessions.destroy(id);
    reply.clearCookie(cookie, { path: '/' });
    return reply.redirect(target, 303);
  });

  return fastify;
}

/**
 * A date as the date field sends it (2021-05-17), or as people type it where
 * the browser shows a plain text field (17.05.2021); undefined if neither or
 * no such day.
 */
function isoDate(value: string): string | undefined {
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value.trim());
  const [, day = '', month = '', year = ''] = german ?? [];
  const iso = german ? `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` : value.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return undefined;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : undefined;
}
