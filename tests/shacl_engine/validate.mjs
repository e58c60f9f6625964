// Validate data files against shape files with shacl-engine (SHACL Core and SHACL-SPARQL),
// and print one JSON object a line: each top-level validation result as
//   { focus, path, value, shape, component, severity }
// every term in N-Triples form (blank nodes with labels of this script), `path` as the IRI of a simple path
// or a canonical SPARQL-like string (see pathString), null when the result has none;
// and each SPARQL-based constraint the engine could not evaluate on a focus node as
//   { error, shape, focus }
// (the validation goes on with the other constraints and focus nodes).
//
//   node validate.mjs --shapes shapes/*.ttl --data ontology/qf.ttl ontology/frameworks.ttl entries.ttl
//
// Reads local files only (Turtle, or N-Triples for *.nt); all data files make one graph.
import { readFileSync } from 'node:fs'
import rdfDataModel from '@rdfjs/data-model'
import rdfDataset from '@rdfjs/dataset'
import toNT from '@rdfjs/to-ntriples'
import { Parser } from 'n3'
import Validator from 'shacl-engine/Validator.js'
import { validations as sparqlValidations } from 'shacl-engine/sparql.js'

const RDFS_SUBCLASS_OF = 'http://www.w3.org/2000/01/rdf-schema#subClassOf'

// one factory for terms and datasets (the validator makes datasets for its report)
const factory = Object.assign(Object.create(rdfDataModel), { dataset: rdfDataset.dataset })

function parseArgs (argv) {
  const files = { shapes: [], data: [] }
  let current = null
  for (const arg of argv) {
    if (arg === '--shapes' || arg === '--data') {
      current = arg.slice(2)
    } else if (current) {
      files[current].push(arg)
    } else {
      throw new Error(`unexpected argument ${arg}: give --shapes FILE... --data FILE...`)
    }
  }
  if (!files.shapes.length || !files.data.length) {
    throw new Error('give --shapes FILE... --data FILE...')
  }
  return files
}

function read (paths) {
  const dataset = rdfDataset.dataset()
  for (const [index, path] of paths.entries()) {
    const format = path.endsWith('.nt') ? 'N-Triples' : 'Turtle'
    // blank node labels prefixed per file, so two files never share a blank node
    const parser = new Parser({ format, factory, blankNodePrefix: `b${index}_` })
    for (const quad of parser.parse(readFileSync(path, 'utf8'))) {
      dataset.add(quad)
    }
  }
  return dataset
}

// A path as shacl-engine parsed it (a list of steps), in the canonical form the Python side
// writes too: a simple path is its IRI; otherwise steps joined by '/', each step
// '<p>', '^<p>', '(<p>|<q>)', '(<p>)*', '(<p>)+' or '(<p>)?'.
function pathString (path) {
  if (!path) {
    return null
  }
  const steps = path.map(step => {
    const inverse = step.start === 'object' && step.end === 'subject'
    let text = step.predicates.map(p => toNT(p)).join('|')
    if (step.predicates.length > 1) {
      text = `(${text})`
    }
    if (inverse) {
      text = `^${text}`
    }
    const quantifier = { oneOrMore: '+', zeroOrMore: '*', zeroOrOne: '?' }[step.quantifier]
    return quantifier ? `(${text})${quantifier}` : text
  })
  if (steps.length === 1 && path[0].quantifier === 'one' && !steps[0].startsWith('^') &&
      path[0].predicates.length === 1) {
    return path[0].predicates[0].value
  }
  return steps.join('/')
}

// The SPARQL-based constraints of shacl-engine, each evaluation guarded: a query its SPARQL
// engine (Comunica) refuses throws, which would end the whole validation; here it is written
// down as an error of that shape and focus node instead.
function guardedSparql (errors) {
  return new Map([...sparqlValidations].map(([predicate, compile]) => [predicate, shape => {
    const { generic } = compile(shape)
    return {
      generic: async context => {
        try {
          await generic(context)
        } catch (error) {
          errors.push({
            error: String(error.message || error),
            shape: toNT(shape.ptr.term),
            focus: toNT(context.focusNode.term)
          })
        }
      }
    }
  }]))
}

async function main () {
  const files = parseArgs(process.argv.slice(2))
  const shapes = read(files.shapes)
  const data = read(files.data)

  // shacl-engine looks up the subclasses of sh:class and sh:targetClass in the shapes
  // graph, where SHACL says the data graph: give the shapes graph the data's class
  // hierarchy (a qf:Provider is an elm:Organisation), so both engines use the same one.
  for (const quad of data.match(null, rdfDataModel.namedNode(RDFS_SUBCLASS_OF), null)) {
    shapes.add(quad)
  }

  const errors = []
  const validator = new Validator(shapes, { factory, validations: guardedSparql(errors) })
  const report = await validator.validate({ dataset: data })

  // report.results are the top-level results; those of nested shapes (sh:node, sh:or, ...)
  // are only in their `results`, as sh:detail would be
  const results = report.results.map(result => ({
    focus: toNT(result.focusNode.term),
    path: pathString(result.path),
    value: result.value && result.value.term ? toNT(result.value.term) : null,
    shape: toNT(result.shape.ptr.term),
    component: toNT(result.constraintComponent),
    severity: toNT(result.severity)
  }))
  for (const line of [...results, ...errors]) {
    process.stdout.write(JSON.stringify(line) + '\n')
  }
}

main().catch(error => {
  process.stderr.write(`validate.mjs: ${error.stack || error}\n`)
  process.exit(2)
})
