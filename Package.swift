// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "Firegrid",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "firegrid", targets: ["firegrid"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    // ZIP for the XLSX package (Debian: zlib1g-dev, installed by the Makefile).
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
  ],
  targets: [
    // The only C entry point: ncursesw through a small shim (see Sources/CNcursesw/shim.h).
    // No pkgConfig: ncursesw.pc adds -D_XOPEN_SOURCE, which SwiftPM rejects with a warning;
    // the shim defines what it needs and the module map links the libraries (Debian:
    // libncurses-dev, installed by the Makefile).
    .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
    // Pango and Cairo for printing (Debian: libpango1.0-dev, libcairo2-dev). No pkgConfig:
    // pangocairo.pc adds -pthread, which SwiftPM rejects with a warning; the shim declares the
    // few Pango calls used and the module map links the libraries.
    .systemLibrary(name: "CPangoCairo", path: "Sources/CPangoCairo"),
    // syncfs(2), which Glibc's module hides (a GNU extension): one flush for a whole backup.
    .systemLibrary(name: "CSyncfs", path: "Sources/CSyncfs"),
    // libpq, PostgreSQL's C client (Debian: libpq-dev), for FiregridPostgres: synchronous,
    // like the store worker that calls it (see Sources/FiregridPostgres/README.md for why not
    // postgres-nio). No pkgConfig: the shim includes the header by its path.
    .systemLibrary(name: "CLibpq", path: "Sources/CLibpq"),
    // Value types, rules and validation. Foundation only: no files, no screens.
    .target(name: "FiregridModel", exclude: ["README.md"]),
    // The store protocol (`TownRepository`): what the app and the command line need of a town,
    // whatever holds it. Value types only; no files.
    .target(name: "FiregridRepository", dependencies: ["FiregridModel"]),
    // What every TownRepository must do, as plain functions any implementation's tests run.
    // No test framework: the cases throw ContractFailure.
    .target(
      name: "FiregridRepositoryContract", dependencies: ["FiregridModel", "FiregridRepository"]),
    // Data that is not code: names, places, form definitions. Exposes Bundle.module.
    .target(
      name: "FiregridResources",
      dependencies: ["FiregridModel"],
      path: "Resources",
      exclude: ["README.md"],
      resources: [.copy("Data")]
    ),
    // Spreadsheets: a Workbook value built from a Report, written as XLSX (an OOXML package
    // zipped by ZIPFoundation) or CSV, and XLSX read back as rows of text.
    .target(
      name: "FiregridSheets",
      dependencies: ["FiregridModel", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
    ),
    // The data folder on disk: load, save atomically, permissions.
    .target(
      name: "FiregridStore",
      dependencies: [
        "CSyncfs", "FiregridModel", "FiregridRepository", "FiregridSheets",
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      exclude: ["README.md"]
    ),
    // The town in a PostgreSQL database (many towns in one): the same records as the data
    // folder's files, encoded by FiregridStore, with versions and the audit chain per town.
    .target(
      name: "FiregridPostgres",
      dependencies: ["CLibpq", "FiregridModel", "FiregridRepository", "FiregridStore"],
      exclude: ["README.md"]
    ),
    // Cells, buffers, keys, widgets and the Terminal protocol. Knows nothing of ncurses.
    .target(name: "TerminalUI", exclude: ["README.md"]),
    // The only module that imports CNcursesw.
    .target(name: "NcursesTerminal", dependencies: ["CNcursesw", "TerminalUI"]),
    // Application state, messages, components, key maps and the loop. Reaches a town only
    // through FiregridRepository (never FiregridStore: ArchitectureTests checks it).
    .target(
      name: "FiregridApp",
      dependencies: ["FiregridModel", "FiregridRepository", "FiregridResources", "TerminalUI"],
      exclude: ["README.md"]
    ),
    // Cards, notices and forms as PDF, printed through CUPS. Only the executables use it.
    .target(
      name: "FiregridPrint",
      dependencies: ["CPangoCairo", "FiregridModel", "FiregridResources"],
      exclude: ["README.md"]
    ),
    .executableTarget(
      name: "firegrid",
      dependencies: [
        "FiregridApp", "FiregridModel", "FiregridPostgres", "FiregridPrint", "FiregridRepository",
        "FiregridSheets", "FiregridStore", "FiregridResources",
        "NcursesTerminal", "TerminalUI",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Release-build benchmark (`make bench`) and the crash-test child used by the store tests.
    .executableTarget(
      name: "firegrid-bench",
      dependencies: [
        "FiregridApp", "FiregridModel", "FiregridPostgres", "FiregridPrint", "FiregridRepository",
        "FiregridStore", "FiregridResources", "FiregridSheets", "TerminalUI",
      ]
    ),
    .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
    .testTarget(name: "FiregridModelTests", dependencies: ["FiregridModel"]),
    .testTarget(name: "FiregridSheetsTests", dependencies: ["FiregridSheets", "FiregridModel"]),
    // Fixtures (a version-1 data folder) are read by path.
    .testTarget(
      name: "FiregridStoreTests",
      dependencies: [
        "FiregridStore", "FiregridModel", "FiregridRepository", "FiregridRepositoryContract",
        "FiregridSheets",
      ],
      exclude: ["Fixtures"]),
    // Expected screens live in Tests/FiregridAppTests/Screens and are read by path.
    .testTarget(
      name: "FiregridAppTests",
      dependencies: [
        "FiregridApp", "FiregridModel", "FiregridRepository", "FiregridStore", "TerminalUI",
      ],
      exclude: ["Screens"]
    ),
    // Needs a server: FIREGRID_TEST_PG (set by `make test`, which starts a throwaway cluster).
    .testTarget(
      name: "FiregridPostgresTests",
      dependencies: [
        "firegrid", "FiregridPostgres", "FiregridModel", "FiregridRepository", "FiregridApp",
        "TerminalUI",
        "FiregridRepositoryContract",
        "FiregridStore",
      ]),
    .testTarget(
      name: "FiregridPrintTests",
      dependencies: ["FiregridPrint", "FiregridModel", "FiregridResources"]),
    .testTarget(name: "EndToEndTests", dependencies: ["firegrid", "firegrid-bench"]),
  ],
  swiftLanguageModes: [.v6]
)
