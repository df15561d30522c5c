import assert from 'node:assert/strict';
import { test } from 'node:test';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify from 'fastify';
import { createCsrf } from './csrf.ts';
import { AppError } from './errors.ts';
import { csrfCheck, installRouteChecks, sessionCheck } from './route-options.ts';

async function app() {
  const fastify = Fastify();
  await fastify.register(fastifyCookie);
  await fastify.register(fastifyFormbody);
  fastify.decorateRequest('sso', undefined);
  fastify.setErrorHandler((error, _request, reply) =>
    reply.code(error instanceof AppError ? 403 : 500).send(error instanceof AppError ? error.code : 'other'),
  );
  installRouteChecks(fastify, [csrfCheck(createCsrf('k'.repeat(43), 'csrf', false)), sessionCheck]);
  fastify.post('/form', async () => 'done');
  fastify.post('/binding', { config: { csrf: false } }, async () => 'done');
  fastify.get('/page', { config: { session: 'required' } }, async () => 'page');
  return fastify;
}

test('a POST is refused without the CSRF token unless the route opts out', async () => {
  const fastify = await app();
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const refused = await fastify.inject({ method: 'POST', url: '/form', headers: form, payload: 'a=b' });
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.body, 'csrf_invalid');
  const crossSite = await fastify.inject({ method: 'POST', url: '/binding', headers: form, payload: 'SAMLRequest=x' });
  assert.equal(crossSite.body, 'done');
  await fastify.close();
});

test('session required: a page without a session goes to the login', async () => {
  const fastify = await app();
  const page = await fastify.inject({ method: 'GET', url: '/page' });
  assert.equal(page.statusCode, 303);
  assert.equal(page.headers.location, '/login?return=/account');
  // A handler that redirected itself did so for HEAD as well; the option keeps that.
  const head = await fastify.inject({ method: 'HEAD', url: '/page' });
  assert.equal(head.statusCode, 303);
  await fastify.close();
});
