import fs from 'node:fs';

export interface UserIds {
  uid: number;
  gid: number;
}

/** uid/gid of a system user from /etc/passwd, or undefined when it does not exist. */
function lookupUser(name: string): UserIds | undefined {
  let passwd: string;
  try {
    passwd = fs.readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** When running as root, the unprivileged user a server that refuses root must run as. */
export function serverUser(name: string): UserIds | undefined {
  if (!isRoot()) return undefined;
  const user = lookupUser(name) ?? lookupUser('nobody');
  if (!user) throw new Error(`running as root, but neither user ${name} nor nobody exists to run the server`);
  return user;
}

export function chownTree(dir: string, user: UserIds | undefined): void {
  if (!user) return;
  fs.chownSync(dir, user.uid, user.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = `${dir}/${entry.name}`;
    if (entry.isDirectory()) chownTree(full, user);
    else fs.chownSync(full, user.uid, user.gid);
  }
}
