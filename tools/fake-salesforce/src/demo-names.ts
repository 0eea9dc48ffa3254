// Names for the demo org: made-up companies on .example domains and everyday first and last names.
export const COMPANIES = [
  'Acme', 'Globex', 'Initech', 'Umbrella Health', 'Stark Logistics', 'Wayne Foods', 'Hooli', 'Vandelay Imports',
  'Soylent Labs', 'Tyrell Systems', 'Cyberdyne Analytics', 'Wonka Confections', 'Pied Piper', 'Massive Dynamic',
  'Gringotts Finance', 'Oscorp Energy', 'Nakatomi Trading', 'Blue Sun Retail', 'Monarch Travel', 'Duff Beverages',
];

export const FIRST_NAMES = [
  'Alex', 'Blair', 'Casey', 'Devon', 'Emery', 'Finley', 'Gray', 'Harper', 'Indra', 'Jordan', 'Kai', 'Lena',
  'Morgan', 'Noor', 'Oliver', 'Priya', 'Quinn', 'Rosa', 'Sam', 'Tariq', 'Uma', 'Vera', 'Wes', 'Yara', 'Zane',
];

export const LAST_NAMES = [
  'Adams', 'Bianchi', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski',
  'Larsen', 'Moreau', 'Nguyen', 'Okafor', 'Patel', 'Quist', 'Rossi', 'Silva', 'Tanaka', 'Ueda', 'Varga', 'Weber',
];

export const OPPORTUNITY_KINDS = ['Platform licence', 'Renewal', 'Expansion', 'Pilot', 'Services package', 'Upgrade'];

export const ROLES = ['Decision Maker', 'Economic Buyer', 'Technical Buyer', 'Evaluator', 'Influencer', 'Business User'];
