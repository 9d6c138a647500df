/** The text of a thrown value, for log lines and error flags. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
