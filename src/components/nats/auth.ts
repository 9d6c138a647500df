/**
 * The `auth` block shared by every NATS component (the reference's nats `auth.go`): at most one
 * method (nkey file or seed, credentials file, JWT plus seed, token, user plus password), checked
 * at build time so a bad seed or a missing file fails the stream build with its field, not the
 * first connect.
 */
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { credsAuthenticator, jwtAuthenticator, nkeyAuthenticator, type Authenticator } from '@nats-io/transport-node'
import { fromSeed } from '@nats-io/nkeys'
import { f, type ObjectOf } from '../../spec/index.js'
import { invalid } from '../shared/field-error.js'

const authFields = [
  f.string('nkey_file', { optional: true, description: 'An optional file containing a NKey seed.' }),
  f.string('nkey', { optional: true, secret: true, description: 'The NKey seed.' }),
  f.string('user_credentials_file', { optional: true, description: 'An optional file containing user credentials which consist of an user JWT and corresponding NKey seed.' }),
  f.string('user_jwt', { optional: true, secret: true, description: 'An optional plain text user JWT (given along with the corresponding user NKey Seed).' }),
  f.string('user_nkey_seed', { optional: true, secret: true, description: 'An optional plain text user NKey Seed (given along with the corresponding user JWT).' }),
  f.string('user', { optional: true, description: 'An optional plain text user name (given along with the corresponding user password).' }),
  f.string('password', { optional: true, secret: true, description: 'An optional plain text password (given along with the corresponding user name).' }),
  f.string('token', { optional: true, secret: true, description: 'An optional plain text token.' }),
] as const

export const authField = f.object('auth', authFields, { optional: true, advanced: true, description: 'Optional configuration of NATS authentication parameters.' })

export type AuthConf = ObjectOf<typeof authFields>

/** What the client is given: an authenticator, or the plain user/password/token options. */
export type NatsAuth =
  | { kind: 'none' }
  | { kind: 'authenticator'; method: string; authenticator: Authenticator }
  | { kind: 'token'; token: string }
  | { kind: 'user'; user: string; pass: string }

/** Parses and checks `auth` (field path `field`); throws located errors. */
export function natsAuth(c: Partial<AuthConf> | undefined, field = 'auth'): NatsAuth {
  const a = c ?? {}
  const set = (k: keyof AuthConf): boolean => a[k] !== undefined
  if (set('user_jwt') !== set('user_nkey_seed')) throw invalid(field, `missing ${field}.${set('user_jwt') ? 'user_nkey_seed' : 'user_jwt'} config field`)
  if (set('user') !== set('password')) throw invalid(field, `missing ${field}.${set('user') ? 'password' : 'user'} config field`)
  if (set('user') && a.user === '' && a.password === '') throw invalid(field, `${field}.user and ${field}.password are both empty`)

  const methods: string[] = []
  if (a.nkey_file) methods.push('nkey_file')
  if (a.nkey) methods.push('nkey')
  if (a.user_credentials_file) methods.push('user_credentials_file')
  if (a.user_jwt) methods.push('user_jwt+user_nkey_seed')
  if (a.token) methods.push('token')
  if (a.user || a.password) methods.push('user+password')
  if (methods.length > 1) throw invalid(field, `multiple auth methods configured (${methods.join(', ')}); only one is permitted`)

  if (a.nkey_file) {
    const seed = seedOf(readFile(a.nkey_file, `${field}.nkey_file`), `${field}.nkey_file`)
    return { kind: 'authenticator', method: 'nkey_file', authenticator: nkeyAuthenticator(seed) }
  }
  if (a.nkey) return { kind: 'authenticator', method: 'nkey', authenticator: nkeyAuthenticator(seedOf(a.nkey, `${field}.nkey`)) }
  if (a.user_credentials_file) {
    const path = `${field}.user_credentials_file`
    const creds = readFile(a.user_credentials_file, path)
    if (!/-----BEGIN NATS USER JWT-----/.test(creds) || !/-----BEGIN USER NKEY SEED-----/.test(creds)) {
      throw invalid(path, `unable to parse credentials file ${a.user_credentials_file}: expected a user JWT and a user NKey seed (as written by nsc)`)
    }
    // Read again on every connect, as the reference does, so a rotated file takes effect.
    const file = expandPath(a.user_credentials_file)
    return { kind: 'authenticator', method: 'user_credentials_file', authenticator: credsAuthenticator(() => new Uint8Array(readFileSync(file))) }
  }
  if (a.user_jwt) {
    return { kind: 'authenticator', method: 'user_jwt', authenticator: jwtAuthenticator(a.user_jwt, seedOf(a.user_nkey_seed ?? '', `${field}.user_nkey_seed`)) }
  }
  if (a.token) return { kind: 'token', token: a.token }
  if (a.user || a.password) return { kind: 'user', user: a.user ?? '', pass: a.password ?? '' }
  return { kind: 'none' }
}

/** A user seed (`SU...`), with the decorated form of a seed file accepted. */
function seedOf(text: string, field: string): Uint8Array {
  const m = /\bS[A-Z][A-Z2-7]{50,}\b/.exec(text)
  const seed = new TextEncoder().encode(m ? m[0] : text.trim())
  try {
    const kp = fromSeed(seed)
    if (!kp.getPublicKey().startsWith('U')) throw new Error('not a user seed')
  } catch {
    throw invalid(field, 'invalid nkey user seed: expected a user seed starting with SU')
  }
  return seed
}

function readFile(path: string, field: string): string {
  try {
    return readFileSync(expandPath(path), 'utf8')
  } catch (err) {
    throw invalid(field, err instanceof Error ? err.message : String(err))
  }
}

/** `$VAR` and a leading `~` expand, as in the reference's credential paths. */
function expandPath(p: string): string {
  const expanded = p.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => process.env[a ?? b ?? ''] ?? '')
  return expanded.startsWith('~') ? join(homedir(), expanded.slice(1)) : expanded
}
