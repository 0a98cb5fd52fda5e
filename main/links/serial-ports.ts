// links.serialPorts: the one serial-port lister lives in hil/uartbone/serial-ports.ts (main/ may import hil/,
// not the reverse); re-exported here for the API and CLI. Its SerialPortSummary is structurally SerialPortInfo.

export { listSerialPorts, type ListSerialPortsOptions, type RawPortInfo } from '../../hil/uartbone/serial-ports.js';
