#!/usr/bin/env node
// Verifies a verifiable credential of the registry with the W3C reference libraries
// (@digitalbazaar/vc, the eddsa-rdfc-2022 cryptosuite and the Bitstring Status List library)
// and prints one JSON verdict on standard output:
//   {"verified": bool, "revoked": bool|null, "suspended": bool|null, "errors": [text...]}
// Exit status: 0 verified and neither revoked nor suspended, 1 any other verdict, 2 bad usage.
//
//   node verify.mjs CREDENTIAL.json [--document URL=FILE]... [--now ISO-DATETIME] [--online]
//
// JSON-LD contexts come from the installed packages and are never fetched. The registry's
// controller document (did:web) and its status list credentials come from --document files;
// with --online they are fetched over HTTPS instead (5 s per try, at most 2 tries each).
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {contexts as credentialContexts} from '@digitalbazaar/credentials-context';

const FETCH_TIMEOUT_MS = 5000;
const FETCH_TRIES = 2;

function usage(message) {
  process.stderr.write(`${message}\nUsage: node verify.mjs CREDENTIAL.json ` +
    '[--document URL=FILE]... [--now ISO-DATETIME] [--online]\n');
  process.exit(2);
}

function parseArguments(argv) {
  const options = {documents: new Map(), online: false, now: undefined};
  for(let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if(argument === '--document') {
      const pair = argv[++i] || '';
      const split = pair.indexOf('=');
      if(split < 1) {
        usage(`--document needs URL=FILE, not "${pair}".`);
      }
      options.documents.set(pair.slice(0, split), pair.slice(split + 1));
    } else if(argument === '--now') {
      options.now = argv[++i];
      if(!options.now || isNaN(Date.parse(options.now))) {
        usage('--now needs an ISO date-time.');
      }
    } else if(argument === '--online') {
      options.online = true;
    } else if(options.credential === undefined) {
      options.credential = argument;
    } else {
      usage(`Unexpected argument "${argument}".`);
    }
  }
  if(options.credential === undefined) {
    usage('Name the credential file ("-" for standard input).');
  }
  return options;
}

// did:web:host%3Aport -> https://host:port/.well-known/did.json (no path: the registry's form).
function didWebUrl(did) {
  const name = did.slice('did:web:'.length);
  if(!name || name.includes(':')) {
    throw new Error(`Not a did:web of a host: ${did}`);
  }
  return `https://${decodeURIComponent(name)}/.well-known/did.json`;
}

async function fetchJson(url) {
  let lastError;
  for(let attempt = 1; attempt <= FETCH_TRIES; attempt++) {
    try {
      const response = await fetch(url, {
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        headers: {accept: 'application/json'}
      });
      if(!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      return await response.json();
    } catch(error) {
      lastError = error;
    }
  }
  throw new Error(`Could not fetch ${url}: ${lastError.message}`);
}

function makeLoader({documents, online}) {
  async function load(url) {
    if(documents.has(url)) {
      return JSON.parse(readFileSync(documents.get(url), 'utf8'));
    }
    if(online && url.startsWith('https://')) {
      return fetchJson(url);
    }
    throw new Error(`Refusing to load "${url}": not given with --document` +
      (online ? '' : ' (and not --online)') + '.');
  }
  return async function documentLoader(url) {
    if(credentialContexts.has(url)) {
      return {contextUrl: null, documentUrl: url, document: credentialContexts.get(url)};
    }
    if(url.startsWith('did:web:')) {
      const [did, fragment] = url.split('#');
      const document = await load(didWebUrl(did));
      if(document.id !== did) {
        throw new Error(`The document of ${did} names itself ${document.id}.`);
      }
      if(fragment === undefined) {
        return {contextUrl: null, documentUrl: url, document};
      }
      const method = (document.verificationMethod || []).find(m => m.id === url);
      if(!method) {
        throw new Error(`${did} publishes no verification method ${url}.`);
      }
      return {
        contextUrl: null,
        documentUrl: url,
        document: {'@context': document['@context'], ...method}
      };
    }
    if(url.startsWith('https://') || url.startsWith('http://')) {
      return {contextUrl: null, documentUrl: url, document: await load(url)};
    }
    throw new Error(`Refusing to load "${url}".`);
  };
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const text = readFileSync(options.credential === '-' ? 0 : options.credential, 'utf8');
  let credential;
  try {
    credential = JSON.parse(text);
  } catch(error) {
    return {verified: false, revoked: null, suspended: null,
      errors: [`Not JSON: ${error.message}`]};
  }
  const documentLoader = makeLoader(options);
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const result = await vc.verifyCredential({
    credential, suite, documentLoader, checkStatus, now: options.now
  });
  const verdict = {verified: result.verified === true, revoked: null, suspended: null,
    errors: []};
  const errors = [result.error, ...(result.results || []).map(r => r.error)]
    .filter(Boolean)
    .flatMap(error => error.errors || [error]);
  verdict.errors = [...new Set(errors.map(error => error.message || String(error)))];
  const statusResult = result.statusResult;
  if(statusResult) {
    if(statusResult.error) {
      verdict.errors.push(statusResult.error.message);
    }
    for(const entry of statusResult.results || []) {
      const purpose = entry.credentialStatus && entry.credentialStatus.statusPurpose;
      if(purpose === 'revocation') {
        verdict.revoked = entry.status;
      } else if(purpose === 'suspension') {
        verdict.suspended = entry.status;
      }
    }
  }
  return verdict;
}

main().then(verdict => {
  process.stdout.write(JSON.stringify(verdict) + '\n');
  const good = verdict.verified && verdict.revoked !== true && verdict.suspended !== true;
  process.exit(good ? 0 : 1);
}).catch(error => {
  process.stdout.write(JSON.stringify({verified: false, revoked: null, suspended: null,
    errors: [error.message || String(error)]}) + '\n');
  process.exit(1);
});
