import { Route, Routes } from 'react-router';
import { catalogStyles } from './catalog-styles.js';
import { EntityPage } from './entity/EntityPage.js';
import { CatalogIndexPage } from './index/CatalogIndexPage.js';
import { RegisterPage } from './register/RegisterPage.js';

/**
 * The catalog's page module (`./CatalogPage`), mounted by the shell at `/catalog/*`: routes are
 * relative to that mount point. Reads the API and identity through @portal/ui's hooks.
 */
export default function CatalogPage() {
  return (
    <>
      <style>{catalogStyles}</style>
      <Routes>
        <Route index element={<CatalogIndexPage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path=":namespace/:kind/:name/*" element={<EntityPage />} />
      </Routes>
    </>
  );
}
