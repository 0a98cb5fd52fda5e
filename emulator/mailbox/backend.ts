// The seam between the device-register model (mailbox registers, device status, memory device status — CXL 2.0
// 8.2.8) and the command set (8.2.9). The registers own the doorbell handshake; the backend owns what a
// command does and the device state behind it (partitions, LSA, event logs, poison, health, security, FW).

export interface CommandOutcome {
  /** Mailbox return code (CXL 2.0 Table 150 / r3.1 Table 8-34): 0 Success, 1 Background Command Started, ... */
  rc: number;
  /** Output payload (length ≤ the payload size the registers advertise). */
  output: Uint8Array;
}

export interface BackgroundStatus {
  /** True while a background operation runs (Mailbox Status bit 0, CXL 2.0 8.2.8.4.7). */
  running: boolean;
  /** Opcode of the most recent background command (Background Command Status [15:0]). */
  opcode: number;
  /** Percentage complete [22:16]. */
  percent: number;
  /** Return code of the completed background command [47:32]. */
  rc: number;
  /** Vendor specific extended status [63:48]. */
  vendorStatus: number;
}

/** Media Status values of the Memory Device Status register [3:2] (CXL 2.0 8.2.8.5.1.1). */
export type MediaStatus = 0 | 1 | 2 | 3; // 0 not ready, 1 ready, 2 error, 3 disabled

export interface MailboxBackend {
  /**
   * Run one command. `payloadSize` is the mailbox payload size in bytes, so handlers can clip output and
   * reject inputs that could not have fit. Must not throw: every bad input maps to a spec return code.
   */
  execute(opcode: number, input: Uint8Array, payloadSize: number): CommandOutcome;
  backgroundStatus(): BackgroundStatus;
  /** Event Status register value (CXL 2.0 8.2.8.3.1): bit n set when event log n has records. */
  eventStatus(): number;
  mediaStatus(): MediaStatus;
  /** Mailbox Interfaces Ready (Memory Device Status bit 4). */
  mailboxReady(): boolean;
  /** Reset Needed [7:5]. */
  resetNeeded(): number;
  /** Device Fatal (bit 0) and FW Halt (bit 1). */
  fatal(): boolean;
  fwHalt(): boolean;
}
