import { defineConfig } from 'vite';
import { storefrontViteConfig } from './src/server/viteConfig.ts';

export default defineConfig(storefrontViteConfig());
