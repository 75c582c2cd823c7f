// Runs graphql-http's server audit suite against a running hub and prints one JSON line.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
const results = [];
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  results.push({ id: audit.id, name: audit.name, status: result.status, reason: result.reason || null });
}
console.log(JSON.stringify(results));
