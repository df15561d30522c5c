export type Language = 'de' | 'en';
export const languages: readonly Language[] = ['de', 'en'];
/** Every message exists in every language: a missing translation is a type error. */
export type Messages = Record<string, Record<Language, string>>;
