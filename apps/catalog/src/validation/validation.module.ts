import { Module } from '@nestjs/common';
import { PermissionsModule } from '../permissions/permissions.module.js';
import { ValidationController } from './validation.controller.js';

@Module({ imports: [PermissionsModule], controllers: [ValidationController] })
export class ValidationModule {}
