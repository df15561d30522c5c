import type { Messages } from './types.ts';

/** The operator's legal and help pages, the header's Kopfzeile and the footer (issue 15 §9, §10). */
export const site = {
  'site.impressum': { de: 'Impressum', en: 'Legal notice (Impressum)' },
  'site.datenschutz': { de: 'Datenschutzerklärung', en: 'Privacy policy' },
  'site.nutzungsbedingungen': { de: 'Nutzungsbedingungen', en: 'Terms of use' },
  'site.barrierefreiheit': { de: 'Erklärung zur Barrierefreiheit', en: 'Accessibility statement' },
  'site.hilfe': { de: 'Hilfe', en: 'Help' },
  'site.leichteSprache': { de: 'Leichte Sprache', en: 'Easy-to-read German (Leichte Sprache)' },
  'site.gebaerdensprache': { de: 'Deutsche Gebärdensprache', en: 'German Sign Language' },
  'site.germanOnly': {
    de: 'Diese Seite gibt es nur auf Deutsch.',
    en: 'This page is available in German only.',
  },
  'site.kopfzeile': { de: 'Offizielle Website – {name}', en: 'Official website – {name}' },
  'site.footerNav': { de: 'Rechtliches und Hilfe', en: 'Legal information and help' },
  'site.operator': { de: 'Ein Angebot von {name}', en: 'A service of {name}' },
  'site.video.title': {
    de: 'Video: Das Servicekonto in Deutscher Gebärdensprache',
    en: 'Video: the Servicekonto in German Sign Language',
  },
  'site.video.fallback': {
    de: 'Ihr Browser kann das Video nicht abspielen. Sie können es herunterladen:',
    en: 'Your browser cannot play the video. You can download it:',
  },
  'site.video.download': { de: 'Video herunterladen', en: 'Download the video' },
  'site.video.captions': { de: 'Deutsch', en: 'German' },
  'site.video.missingTitle': { de: 'Das Video folgt', en: 'The video will follow' },
  'site.video.missing': {
    de: 'Das Video in Deutscher Gebärdensprache stellt {name} hier bereit. Bis dahin finden Sie die Erklärungen als Text auf dieser Seite und in Leichter Sprache.',
    en: 'The video in German Sign Language will be provided here by {name}. Until then the explanations are on this page as text and in easy-to-read German.',
  },
} satisfies Messages;
