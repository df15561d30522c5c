import type { UserInfoResponse } from 'openid-client';
import { careHours, formatEuro, incomeBrackets, monthlyFee } from './fees.ts';
import { html, type Html } from './html.ts';
import { trustLevels } from './oidc.ts';
import type { Session } from './sessions.ts';
import { statusOf, type Status, type Submission } from './store.ts';

const statusText: Record<Status, string> = {
  eingegangen: 'Eingegangen',
  'in-bearbeitung': 'In Bearbeitung',
  beschieden: 'Beschieden – der Bescheid geht Ihnen per Post zu',
};

export function layout(title: string, body: Html, loggedIn: { csrf: string } | undefined): string {
  return html`<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – Elternbeiträge Online – Stadt Musterstadt</title>
<link rel="stylesheet" href="/static/kern/fonts/fira-sans.css">
<link rel="stylesheet" href="/static/kern/kern.min.css">
<link rel="stylesheet" href="/static/example.css">
</head>
<body>
<a class="skip-link kern-link" href="#main">Zum Inhalt springen</a>
<header class="site-header"><div class="kern-container site-header__inner">
<a class="site-brand kern-link" href="/">Stadt Musterstadt · Elternbeiträge Online</a>
${
  loggedIn
    ? html`<form method="post" action="/abmelden"><input type="hidden" name="csrf" value="${loggedIn.csrf}"><button class="kern-btn kern-btn--secondary" type="submit"><span class="kern-label">Abmelden</span></button></form>`
    : ''
}
</div></header>
<main id="main" class="kern-container site-main" tabindex="-1">
${body}
</main>
<footer class="site-footer"><div class="kern-container"><p class="kern-body kern-body--small">Beispiel-Online-Dienst für das Servicekonto. Jugendamt der Stadt Musterstadt.</p></div></footer>
</body>
</html>`.value;
}

export function startPage(
  demo: { username: string; password: string } | undefined,
  loggedOut: boolean,
  error: string | undefined,
): Html {
  return html`<h1 class="kern-heading-x-large">Elternbeiträge Online</h1>
${loggedOut ? html`<div class="kern-alert kern-alert--success" role="status"><div class="kern-alert__header"><p class="kern-title">Sie sind abgemeldet.</p></div></div>` : ''}
${error ? html`<div class="kern-alert kern-alert--danger" role="alert"><div class="kern-alert__header"><p class="kern-title">${error}</p></div></div>` : ''}
<p class="kern-body kern-body--large">Geben Sie hier Ihre Selbsteinschätzung des Haushaltseinkommens für die Elternbeiträge (Kita, Kindertagespflege, OGS) ab und verfolgen Sie, wie weit die Bearbeitung ist.</p>
<p class="kern-body">Sie melden sich mit Ihrem Servicekonto an. Ihre Angaben von dort füllen das Formular vor; Sie entscheiden, welche Daten wir erhalten.</p>
<p class="kern-body">Mit dem Online-Ausweis (Personalausweis, elektronischer Aufenthaltstitel oder Smart-eID und PIN) melden Sie sich mit dem Vertrauensniveau hoch an; Ihre Daten kommen dann geprüft vom Ausweis.</p>
<div class="actions">
<a class="kern-btn kern-btn--primary" href="/anmelden"><span class="kern-label">Anmelden mit Servicekonto</span></a>
<a class="kern-btn kern-btn--secondary" href="/anmelden?vertrauensniveau=hoch"><span class="kern-label">Mit Online-Ausweis anmelden (Vertrauensniveau hoch)</span></a>
</div>
${
  demo
    ? html`<section class="kern-card demo" aria-labelledby="demo-title"><div class="kern-card__container">
<div class="kern-card__header"><h2 class="kern-title" id="demo-title">Zum Ausprobieren: Demo-Zugang</h2></div>
<div class="kern-card__body"><ul class="kern-list">
<li>Benutzername: <code>${demo.username}</code></li>
<li>Passwort: <code>${demo.password}</code></li>
</ul></div></div></section>`
    : ''
}`;
}

const claimLabels: [string, string][] = [
  ['given_name', 'Vorname'],
  ['family_name', 'Familienname'],
  ['birthdate', 'Geburtsdatum'],
  ['email', 'E-Mail-Adresse'],
];

const countries = new Intl.DisplayNames(['de'], { type: 'region' });

/** Claims carry ISO formats (OIDC Core §5.1); people read 12.08.1964 and "Deutschland". */
function germanDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match ? `${match[3]}.${match[2]}.${match[1]}` : value;
}

function country(code: string): string {
  return /^[A-Z]{2}$/.test(code) ? (countries.of(code) ?? code) : code;
}

/** A nationality as its adjective where we know it; otherwise the country's name says it as well. */
function nationality(code: string): string {
  return code === 'DE' ? 'deutsch' : country(code);
}

function claimText(claim: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') return '–';
  return claim === 'birthdate' ? germanDate(value) : value;
}

/** Released only by some citizens (e.g. read from the ID card): shown when present. */
function optionalClaims(userinfo: UserInfoResponse): [string, string][] {
  const placeOfBirth = userinfo.place_of_birth as { locality?: unknown } | undefined;
  const nationalities = Array.isArray(userinfo.nationalities)
    ? userinfo.nationalities.filter((n): n is string => typeof n === 'string')
    : [];
  const rows: [string, unknown][] = [
    ['Geburtsname', userinfo.birth_family_name],
    ['Geburtsort', placeOfBirth?.locality],
    ['Staatsangehörigkeit', nationalities.map(nationality).join(', ')],
  ];
  return rows.filter((row): row is [string, string] => typeof row[1] === 'string' && row[1] !== '');
}

/** The trust level in the citizen's words; an `acr` we do not know is said as such. */
function trustLevel(acr: string | undefined): string {
  return trustLevels.find((level) => level.acr === acr)?.label ?? 'unbekannt';
}

function address(userinfo: UserInfoResponse): string | undefined {
  const a = userinfo.address;
  if (!a) return undefined;
  const countryName = a.country && a.country !== 'DE' ? country(a.country) : undefined;
  return [a.street_address, [a.postal_code, a.locality].filter(Boolean).join(' '), countryName]
    .filter(Boolean)
    .join(', ');
}

export function overviewPage(
  user: NonNullable<Session['user']>,
  submissions: Submission[],
  flash: string | undefined,
  now: Date,
): Html {
  const { userinfo, subject } = user;
  return html`<h1 class="kern-heading-large">Ihre Elternbeiträge</h1>
${flash ? html`<div class="kern-alert kern-alert--success" role="status"><div class="kern-alert__header"><p class="kern-title">${flash}</p></div></div>` : ''}
<section aria-labelledby="data-title" class="stack">
<h2 class="kern-heading-medium" id="data-title">Ihre Daten aus dem Servicekonto</h2>
<p class="kern-body">Vertrauensniveau: <strong>${trustLevel(user.acr)}</strong></p>
<p class="kern-body kern-body--small">So sicher war Ihre Anmeldung beim Servicekonto. „hoch“ erreicht zum Beispiel die Anmeldung mit dem Online-Ausweis.</p>
<dl class="kern-description-list">
${claimLabels.map(([claim, label]) => {
  return html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${label}</dt><dd class="kern-description-list-item__value">${claimText(claim, userinfo[claim])}</dd></div>`;
})}
${optionalClaims(userinfo).map(([label, value]) => html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${label}</dt><dd class="kern-description-list-item__value">${value}</dd></div>`)}
<div class="kern-description-list-item"><dt class="kern-description-list-item__key">Anschrift</dt><dd class="kern-description-list-item__value">${address(userinfo) ?? '–'}</dd></div>
<div class="kern-description-list-item"><dt class="kern-description-list-item__key">Ihr Pseudonym bei uns</dt><dd class="kern-description-list-item__value"><code>${subject}</code></dd></div>
</dl>
</section>
<section aria-labelledby="submissions-title" class="stack">
<h2 class="kern-heading-medium" id="submissions-title">Ihre Selbsteinschätzungen</h2>
${
  submissions.length === 0
    ? html`<p class="kern-body">Sie haben noch keine Selbsteinschätzung abgegeben.</p>`
    : html`<div class="kern-table-responsive" role="region" aria-labelledby="submissions-title" tabindex="0"><table class="kern-table">
<caption class="kern-sr-only">Abgegebene Selbsteinschätzungen und ihr Bearbeitungsstand</caption>
<thead class="kern-table__header"><tr><th scope="col">Eingang</th><th scope="col">Kind</th><th scope="col">Beitrag im Monat</th><th scope="col">Stand</th></tr></thead>
<tbody class="kern-table__body">${submissions.map(
        (
          s,
        ) => html`<tr><td class="kern-table__cell">${new Date(s.submittedAt).toLocaleString('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' })}</td>
<td class="kern-table__cell">${s.childName}</td><td class="kern-table__cell">${formatEuro(monthlyFee(s.incomeBracket, s.careHours))}</td>
<td class="kern-table__cell"><span class="kern-badge kern-badge--info">${statusText[statusOf(s, now)]}</span></td></tr>`,
      )}</tbody></table></div>`
}
<p><a class="kern-btn kern-btn--primary" href="/selbsteinschaetzung"><span class="kern-label">Neue Selbsteinschätzung abgeben</span></a></p>
</section>`;
}

export interface FormErrors {
  [field: string]: string;
}

function field(
  name: string,
  label: string,
  value: string,
  errors: FormErrors,
  options: { type?: string; autocomplete?: string; hint?: string } = {},
): Html {
  const error = errors[name];
  const describedBy = [options.hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="kern-form-input">
<label class="kern-label" for="${name}">${label}</label>
${options.hint ? html`<div class="kern-hint" id="${name}-hint">${options.hint}</div>` : ''}
${error ? html`<p class="kern-error" id="${name}-error"><span class="kern-body">${error}</span></p>` : ''}
<input class="kern-form-input__input${error ? ' kern-form-input__input--error' : ''}" id="${name}" name="${name}" type="${options.type ?? 'text'}" value="${value}" required aria-required="true" maxlength="200"${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${error ? html` aria-invalid="true"` : ''}>
</div>`;
}

export function declarationPage(csrf: string, values: Record<string, string>, errors: FormErrors): Html {
  const errorList = Object.entries(errors);
  return html`<h1 class="kern-heading-large">Selbsteinschätzung des Einkommens</h1>
<p class="kern-body">Vorausgefüllt mit Ihren Angaben aus dem Servicekonto. Bitte prüfen und ergänzen Sie sie.</p>
${
  errorList.length > 0
    ? html`<div class="kern-alert kern-alert--danger" role="alert" aria-labelledby="errors-title"><div class="kern-alert__header"><h2 class="kern-title" id="errors-title">Bitte korrigieren Sie Folgendes:</h2></div>
<div class="kern-alert__body"><ul class="kern-list">${errorList.map(([name, message]) => html`<li><a class="kern-link" href="#${name}">${message}</a></li>`)}</ul></div></div>`
    : ''
}
<form method="post" action="/selbsteinschaetzung" class="form-stack" novalidate>
<input type="hidden" name="csrf" value="${csrf}">
<fieldset class="kern-fieldset"><legend class="kern-label kern-label--large">Antragstellende Person</legend><div class="kern-fieldset__body">
${field('parentName', 'Name', values.parentName ?? '', errors, { autocomplete: 'name' })}
</div></fieldset>
<fieldset class="kern-fieldset"><legend class="kern-label kern-label--large">Kind</legend><div class="kern-fieldset__body">
${field('childName', 'Vor- und Familienname des Kindes', values.childName ?? '', errors)}
${field('childBirthdate', 'Geburtsdatum des Kindes', values.childBirthdate ?? '', errors, { type: 'date', hint: 'Zum Beispiel 17.05.2021' })}
${field('facility', 'Einrichtung (Kita, Tagespflege oder OGS)', values.facility ?? '', errors)}
</div></fieldset>
<fieldset class="kern-fieldset${errors.careHours ? ' kern-fieldset--error' : ''}"><legend class="kern-label kern-label--large">Betreuungsumfang pro Woche</legend><div class="kern-fieldset__body">
${errors.careHours ? html`<p class="kern-error" id="careHours-error"><span class="kern-body">${errors.careHours}</span></p>` : ''}
${careHours.map(
  (hours, i) =>
    html`<div class="kern-form-check"><input class="kern-form-check__radio" type="radio" id="${i === 0 ? 'careHours' : `careHours-${hours}`}" name="careHours" value="${hours}"${values.careHours === String(hours) ? html` checked` : ''}><label class="kern-label" for="${i === 0 ? 'careHours' : `careHours-${hours}`}">${hours} Stunden</label></div>`,
)}
</div></fieldset>
<div class="kern-form-input">
<label class="kern-label" for="incomeBracket">Jährliches Bruttoeinkommen des Haushalts</label>
${errors.incomeBracket ? html`<p class="kern-error" id="incomeBracket-error"><span class="kern-body">${errors.incomeBracket}</span></p>` : ''}
<div class="kern-form-input__select-wrapper"><select class="kern-form-input__select" id="incomeBracket" name="incomeBracket" required>
<option value="">Bitte wählen</option>
${incomeBrackets.map((b, i) => html`<option value="${i}"${values.incomeBracket === String(i) ? html` selected` : ''}>${b.label}</option>`)}
</select></div>
</div>
<div class="kern-form-check${errors.confirm ? ' kern-form-check--error' : ''}">
${errors.confirm ? html`<p class="kern-error" id="confirm-error"><span class="kern-body">${errors.confirm}</span></p>` : ''}
<input class="kern-form-check__checkbox" type="checkbox" id="confirm" name="confirm" value="yes"${values.confirm === 'yes' ? html` checked` : ''}>
<label class="kern-label" for="confirm">Ich versichere, dass meine Angaben vollständig und richtig sind.</label>
</div>
<div class="actions"><button class="kern-btn kern-btn--primary" type="submit"><span class="kern-label">Selbsteinschätzung absenden</span></button>
<a class="kern-link" href="/uebersicht">Abbrechen</a></div>
</form>`;
}

export function errorPage(message: string): Html {
  return html`<h1 class="kern-heading-large">Das hat nicht geklappt</h1>
<div class="kern-alert kern-alert--danger" role="alert"><div class="kern-alert__header"><p class="kern-title">${message}</p></div></div>
<p class="kern-body"><a class="kern-link" href="/">Zur Startseite</a></p>`;
}
