import { CasesPage } from "./features/cases/CasesPage";
import { SpaceSwitcher } from "./features/spaces/SpaceSwitcher";
import { useSpace } from "./features/spaces/useSpace";

export function App() {
  const { space, choose, spaces } = useSpace();
  return (
    <div className="app">
      <header className="app-header">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true">
            ▣
          </span>
          Casebook
        </span>
        <nav className="app-nav" aria-label="Main">
          <span className="nav-item" aria-current="page">
            Cases
          </span>
        </nav>
        <SpaceSwitcher space={space} spaces={spaces} onChoose={choose} />
      </header>
      <main className="app-main">
        {/* A new page per space: its filters are kept, its dialogs are not. */}
        <CasesPage key={space} space={space} />
      </main>
    </div>
  );
}
