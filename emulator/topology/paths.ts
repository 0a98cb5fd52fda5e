// Topology node names (DESIGN.md 5: events carry them): "hb0", "hb0.rp0", "hb0.rp0.sw0.usp",
// "hb0.rp0.sw0.dsp1", "hb0.rp0.sw0.dsp1.ep0". Host bridges by index, ports by port number, one switch or
// endpoint below a port (sw0 / ep0).

export const hostBridgePath = (index: number): string => `hb${index}`;
export const rootPortPath = (hb: string, port: number): string => `${hb}.rp${port}`;
export const switchPath = (port: string): string => `${port}.sw0`;
export const uspPath = (sw: string): string => `${sw}.usp`;
export const dspPath = (sw: string, port: number): string => `${sw}.dsp${port}`;
export const endpointPath = (port: string): string => `${port}.ep0`;
