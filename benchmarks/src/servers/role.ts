/** What a child role starts: a listening server (port 0 when there is none), its commands, and how to close it. */
export interface ServerRole {
  port: number;
  commands?: Record<string, (args: any) => unknown>;
  close(): Promise<void>;
}
