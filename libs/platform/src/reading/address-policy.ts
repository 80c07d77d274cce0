import { BlockList, isIP } from 'node:net';

/**
 * Which network addresses a server-side request may reach. Loopback, link-local (cloud metadata at
 * 169.254.169.254 included), private, CGNAT, multicast and other special ranges are refused unless
 * explicitly allowed, for IPv4, IPv6 and IPv4 mapped into IPv6.
 */
export class AddressPolicy {
  private readonly blocked = new BlockList();
  private readonly allowed = new BlockList();

  constructor(allowedCidrs: string[] = []) {
    for (const [net, prefix] of [
      ['0.0.0.0', 8],
      ['10.0.0.0', 8],
      ['100.64.0.0', 10],
      ['127.0.0.0', 8],
      ['169.254.0.0', 16],
      ['172.16.0.0', 12],
      ['192.0.0.0', 24],
      ['192.0.2.0', 24],
      ['192.88.99.0', 24],
      ['192.168.0.0', 16],
      ['198.18.0.0', 15],
      ['198.51.100.0', 24],
      ['203.0.113.0', 24],
      ['224.0.0.0', 4],
      ['240.0.0.0', 4],
    ] as const) {
      this.blocked.addSubnet(net, prefix, 'ipv4');
    }
    for (const [net, prefix] of [
      ['::', 128],
      ['::1', 128],
      ['100::', 64],
      ['2001:db8::', 32],
      ['fc00::', 7],
      ['fe80::', 10],
      ['ff00::', 8],
    ] as const) {
      this.blocked.addSubnet(net, prefix, 'ipv6');
    }
    for (const cidr of allowedCidrs) {
      const [net, bits] = cidr.split('/');
      const family = isIP(net ?? '');
      const prefix = Number(bits ?? (family === 6 ? 128 : 32));
      if (!family || !Number.isInteger(prefix)) throw new Error(`Invalid CIDR '${cidr}'`);
      this.allowed.addSubnet(net!, prefix, family === 6 ? 'ipv6' : 'ipv4');
    }
  }

  /** True when a request may connect to `address` (an IP literal). */
  permits(address: string): boolean {
    let family = isIP(address);
    if (!family) return false;
    let ip = address;
    // ::ffff:10.0.0.1 is 10.0.0.1.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (mapped) {
      ip = mapped[1]!;
      family = 4;
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (this.allowed.check(ip, type)) return true;
    return !this.blocked.check(ip, type);
  }
}
