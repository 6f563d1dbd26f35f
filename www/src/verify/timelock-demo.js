// Demo data of the next-epoch preview (www/src/verify/timelock.js): three timelocked weight
// commits made by bittensor-drand 2.0.0's get_encrypted_commit_v2 (the SDK's committer; copied from
// tests/fixtures/timelock/commits.json), two public drand quicknet pulses as drand's HTTP API
// answers them, and a four-uid subnet (validators 0-2, everyone weighting uid 1 today).
export const DEMO_SUBNET = {
  "hyperparameters": {
    "tempo": 99,
    "commitRevealEnabled": true
  },
  "n": 4,
  "currentBlock": 1000,
  "emission": 1000000000,
  "alphaStake": [
    600000000000,
    300000000000,
    100000000000,
    0
  ],
  "blockAtRegistration": [
    0,
    0,
    0,
    0
  ],
  "lastUpdate": [
    990,
    990,
    990,
    990
  ],
  "validatorPermit": [
    true,
    true,
    true,
    false
  ],
  "weights": [
    [
      [
        1,
        65535
      ]
    ],
    [
      [
        1,
        65535
      ]
    ],
    [
      [
        1,
        65535
      ]
    ],
    []
  ],
  "lastMechanismStepBlock": 900,
  "currentEpochIndex": 9
};

export const DEMO_COMMITS = [
  {
    "uid": 0,
    "hotkey": "0x1111111111111111111111111111111111111111111111111111111111111111",
    "commitBlock": 950,
    "revealRound": 1000,
    "ciphertext": "0xaad3ae8e3809fda04a26f29b3de7b657c06011cb90e2e83b6dbc778a50080c91adfe3d579f5d42c9159fe32ff49bb736060b1d8573c6cc3bb7f750ceeac6c1e5db4d82d5fb471aa12f977091fd26d18dcebe3af4b12c9f075f5c018ab47394f62000000000000000d4b64744a2ea7bb70d9f152c34b85051c24b91cc87fba9da90f41cd410ba718620000000000000006c86152315cc734365a20e7031fc053089e498dae911fb2254a1d41dc169ce9c67000000000000004b000000000000007eb581c7b5fb14233fb43b5a081049a456287c2b4b89bb29baf1018143011c55fe1cd91acc7536dda95d35d7a907afdbcdded5a182c425a10f4da3c3f4dfef192570d020591f6cd0dace080c00000000000000164cbfda26a3b7bd106b1c4e08000000000000004145535f47434d5f"
  },
  {
    "uid": 1,
    "hotkey": "0x2222222222222222222222222222222222222222222222222222222222222222",
    "commitBlock": 950,
    "revealRound": 1000,
    "ciphertext": "0x92e919c1abb5ba453eeaf1fb6d27b19a55490fe034ea665dce7d132d6b36cc1c68edd3fad20a95b4bfe58427ebfea5910e5c25d61079941bad6c1ee48d590965573b60170079a779cb28fa5530294cc7a20168ddc0c286cf82ebfdd02e337da22000000000000000d65135de15c30092d99963fd3f09b9e84979871ff3b4166ee094e16b4e9ac6662000000000000000d7725d2f368e803934ea07db93c908a1bd307f420aaf70aab028ba0ee483efbf5f000000000000004300000000000000b280306881778fcaf121712978747a95754e24752fe3e6432ca58f68df72ea28250c2946c885f17a6402ebd5affbe9364397a4c3ff4a0835cdecb1a3b35fcccfba2ebf0c000000000000005a17625abac5cf98211f531e08000000000000004145535f47434d5f"
  },
  {
    "uid": 2,
    "hotkey": "0x3333333333333333333333333333333333333333333333333333333333333333",
    "commitBlock": 950,
    "revealRound": 2000,
    "ciphertext": "0xb2ea04cd00c654d58fed4d356fd01c5eb9edf97919c4c8863f273e27b8eec17f434e846e7ad93b43fd8cf2ce665b947509ce88570ce8978c9dec2050a325ce2d7b6c79781e6a020b1e17437c15ec6fdac373a50f2d0974e815f67edfcca2fdb120000000000000003067a4e3e4610caf6e3a5b8c9d2d704567867d0374db4396565aa0bab968e832200000000000000081becedc70b2bfc5231c6c5c2d8a9cd5188d63d3e2fff1696a731b5cd84d175e5f000000000000004300000000000000d06601b5aa80c31baa60249323794d21db0379d18e9dc2ef38cb8b17153409e727a0d0c5f4a8dc42d8eaa8ac10bf5cc449ebecfbb2507666cc8ddebc83f5868c830b440c000000000000004ee7313983a0c1cdf3a0b6ec08000000000000004145535f47434d5f"
  }
];

export const DEMO_PULSES = [
  "{\"round\":1000,\"randomness\":\"fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd\",\"signature\":\"b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39\"}",
  "{\"round\":2000,\"signature\":\"b6cb8f482a0b15d45936a4c4ea08e98a087e71787caee3f4d07a8a9843b1bc5423c6b3c22f446488b3137eaca799c77e\"}"
];
