// Run once by the mongo-init container (mongosh --host mongo1:27017 this-file).
// Initiates the replica set rs0 with the three members unless it is already initiated, then waits
// until it has a primary, so the service starts against a writable set. Safe to run again.
const config = {
  _id: 'rs0',
  members: [
    { _id: 0, host: 'mongo1:27017', priority: 2 },
    { _id: 1, host: 'mongo2:27017', priority: 1 },
    { _id: 2, host: 'mongo3:27017', priority: 1 },
  ],
};

try {
  const status = rs.status();
  print(`replica set ${status.set} is already initiated: nothing to do`);
} catch (e) {
  if (e.code !== 94 && e.codeName !== 'NotYetInitialized') {
    throw e;
  }
  rs.initiate(config);
  print('replica set rs0 initiated with mongo1, mongo2, mongo3');
}

function primaryName() {
  try {
    const primary = rs.status().members.find((member) => member.stateStr === 'PRIMARY');
    return primary ? primary.name : null;
  } catch (e) {
    print(`waiting for the replica set: ${e.message}`);
    return null;
  }
}

let primary = null;
for (let second = 0; second < 120 && !primary; second++) {
  primary = primaryName();
  if (!primary) {
    sleep(1000);
  }
}
if (!primary) {
  print('the replica set elected no primary within 120 s');
  quit(1);
}
print(`primary is ${primary}`);
