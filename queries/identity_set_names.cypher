// identity_set_names: put researcher records' `name` and `nameVariants` back exactly as an
// identity event found them (undo).
//
// Parameters:
//   $records  [{key, name, nameVariants}], e.g.
//             [{key: "qizhen-zhang", name: "Qizhen Zhang", nameVariants: ["Qizhen Zhang"]}]
//
// In Neo4j Browser:
//   :param records => [{key: "qizhen-zhang", name: "Qizhen Zhang", nameVariants: ["Qizhen Zhang"]}]
UNWIND $records AS row
MATCH (a:Author {key: row.key})
SET a.name = row.name, a.nameVariants = row.nameVariants
RETURN count(a) AS records
