// A small catalog in the shape /api/v1/dataset answers with.
export const CATALOG = {
  title: 'test', description: 'test catalog', licence: 'CC-BY-4.0', attribution: 'contactline geodata (CC BY 4.0); see README',
  dataset_version: 'abc123',
  zone_period: { from: '2020-11-10', to: '2023-09-20' },
  change_dates: ['2020-12-13', '2022-03-25'],
  zone_versions: [
    { id: 'z1', title: 'First zone', valid_from: '2020-11-10', valid_to: '2020-12-13' },
    { id: 'z2', title: 'Pocket lost', valid_from: '2020-12-13', valid_to: '2022-03-25' },
    { id: 'z3', title: 'Parukh taken', valid_from: '2022-03-25', valid_to: '2023-09-20' },
  ],
  corridor_versions: [{ id: 'c1', title: 'Old road', valid_from: '2020-11-10', valid_to: '2023-09-20' }],
  layers: [{ id: 'zone', title: 'Zone' }, { id: 'settlements', title: 'Settlements' }, { id: 'incidents', title: 'Incidents' }],
};
