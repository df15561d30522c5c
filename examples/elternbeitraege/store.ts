import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { CareHours } from './fees.ts';

export interface Submission {
  id: string;
  /** The Servicekonto pseudonym of the parent (the `sub` this service sees). */
  subject: string;
  submittedAt: string;
  parentName: string;
  childName: string;
  childBirthdate: string;
  facility: string;
  incomeBracket: number;
  careHours: CareHours;
}

export type Status = 'eingegangen' | 'in-bearbeitung' | 'beschieden';

/** The demo's processing: received, in progress after 2 minutes, decided after 10. */
export function statusOf(submission: Submission, now: Date): Status {
  const minutes = (now.getTime() - new Date(submission.submittedAt).getTime()) / 60_000;
  if (minutes >= 10) return 'beschieden';
  if (minutes >= 2) return 'in-bearbeitung';
  return 'eingegangen';
}

/** Submissions in one JSON file, written atomically (write, then rename), so a crash never leaves half a file. */
export function submissionStore(file: string) {
  const read = (): Submission[] => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Submission[];
    } catch {
      return [];
    }
  };
  return {
    forSubject: (subject: string) =>
      read()
        .filter((s) => s.subject === subject)
        .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt)),
    add(input: Omit<Submission, 'id' | 'submittedAt'>, now: Date): Submission {
      const submission: Submission = { ...input, id: randomUUID(), submittedAt: now.toISOString() };
      mkdirSync(dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify([...read(), submission], null, 2));
      renameSync(temporary, file);
      return submission;
    },
  };
}
