import { spawnSync } from 'node:child_process';

/** Whether `command` is on PATH. */
export const hasCommand = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/**
 * `command`, or a thrown error naming the Debian package that has it: a test needing a
 * system tool fails, loudly, rather than skips (`.ci/run` installs each one when missing).
 */
export function requireCommand(command: string, debianPackage: string): string {
  if (hasCommand(command)) return command;
  throw new Error(
    `${command} not found: install the Debian package ${debianPackage} (apt-get install ${debianPackage}); .ci/run installs it when missing`,
  );
}
